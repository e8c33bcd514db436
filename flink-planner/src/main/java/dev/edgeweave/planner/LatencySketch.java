package dev.edgeweave.planner;

import java.util.Arrays;

/**
 * A mergeable latency sketch: counts in logarithmic buckets 2 % wide from 1 ms up, so any quantile comes back
 * within 2 % of the true value whatever the distribution, in a fixed 8 KB, and two sketches merge by adding
 * their counts (what a window's partial aggregates need; a sorted list of every latency does not scale).
 * Values below 1 ms count in the first bucket, above about 28 hours in the last.
 */
public final class LatencySketch {

    static final double MIN_SECONDS = 0.001;
    static final double GROWTH = 1.02;
    static final int BUCKETS = 1_000;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private final long[] counts;
    private long total;

    public LatencySketch() {
        this.counts = new long[BUCKETS];
    }

    private LatencySketch(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /** Adds one latency in seconds (NaN and negative values are refused). */
    public void add(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("latency must be >= 0, was " + seconds);
        }
        counts[bucket(seconds)]++;
        total++;
    }

    /** Adds every count of {@code other} to this one. */
    public void merge(LatencySketch other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public long count() {
        return total;
    }

    /**
     * The {@code q}-quantile (0 &lt; q ≤ 1): the geometric middle of the bucket holding the value of rank
     * ceil(q × count); 0 when empty.
     */
    public double quantile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], was " + q);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i == 0 ? MIN_SECONDS : MIN_SECONDS * Math.pow(GROWTH, i - 0.5);
            }
        }
        return MIN_SECONDS * Math.pow(GROWTH, BUCKETS - 1);
    }

    public LatencySketch copy() {
        return new LatencySketch(Arrays.copyOf(counts, BUCKETS), total);
    }

    static int bucket(double seconds) {
        if (seconds <= MIN_SECONDS) {
            return 0;
        }
        int b = 1 + (int) Math.floor(Math.log(seconds / MIN_SECONDS) / LOG_GROWTH);
        return Math.min(BUCKETS - 1, b);
    }
}
