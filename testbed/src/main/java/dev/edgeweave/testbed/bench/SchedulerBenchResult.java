package dev.edgeweave.testbed.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code ./edgeweave bench scheduler} measured, and the one JSON line it prints last.
 *
 * @param routedPerSec      prompts per second through the scheduler's topology (median of the runs)
 * @param passThroughPerSec prompts per second through the decode/re-encode topology (median of the runs)
 * @param decisionP99Micros 99th percentile of one routing decision, microseconds
 * @param servers           servers in the city
 * @param models            models in the catalog
 * @param records           prompts per run
 */
public record SchedulerBenchResult(double routedPerSec, double passThroughPerSec, double decisionP99Micros,
                                   int servers, int models, long records) {

    /** {@code routedPerSec / passThroughPerSec}: the share of plain Kafka Streams throughput routing keeps. */
    public double ratio() {
        return routedPerSec / passThroughPerSec;
    }

    /**
     * {@code {"routedPerSec": x, "passThroughPerSec": x, "ratio": x, "decisionP99Micros": x, "servers": N,
     * "models": N, "records": N}}.
     */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"routedPerSec\": %.1f, \"passThroughPerSec\": %.1f, \"ratio\": %.3f, "
                        + "\"decisionP99Micros\": %.2f, \"servers\": %d, \"models\": %d, \"records\": %d}",
                routedPerSec, passThroughPerSec, ratio(), decisionP99Micros, servers, models, records);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /**
     * The {@code q}-quantile of sorted values by the nearest-rank rule: the smallest value with at least a
     * share {@code q} of the values at or below it.
     */
    public static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in (0, 1], was " + q);
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
