package dev.edgeweave.testbed.report;

import java.util.Optional;

/**
 * Recovery time after a run's event (DESIGN "Evaluation"): from the event until the 30-second rolling mean
 * latency, prompts taken by arrival time, comes within 20% of its settled level and stays there for 30 s.
 *
 * <p>Exactly how, so that two readers get the same number:
 * <ul>
 *   <li>the <b>settled level</b> is the mean latency of the prompts arriving in city seconds
 *       [event + 180, event + 360];</li>
 *   <li>the rolling mean r(t) is evaluated on a 1-second grid aligned to the event (t = event + k, k an
 *       integer), over the window (t − 30, t]; a grid second whose window holds no prompt carries the previous
 *       value (none yet: no value, which is never "within");</li>
 *   <li>recovery = t − event for the earliest grid t ≥ event with |r(t') − settled| ≤ 0.2·settled for every
 *       grid t' in [t, t + 30], all within the run (t + 30 ≤ last arrival).</li>
 * </ul>
 * When that never holds (or no prompt arrived in the settled window) the result is the time from the event to
 * the last arrival, a lower bound, with {@code recovered = false}.
 *
 * <p>Because the window is 30 s wide, a latency excursion of d seconds shows in r(t) for up to d + 30 s: a
 * 45-second spike of high latencies right at the event reads as a recovery of about 74 s, not 45.
 *
 * @param seconds   the recovery time, seconds (a lower bound when {@code recovered} is false)
 * @param recovered whether the rolling mean settled within the run
 */
public record Recovery(double seconds, boolean recovered) {

    /** Width of the rolling-mean window, seconds. */
    public static final double WINDOW_SECONDS = 30;
    /** How long the rolling mean must stay within the band, seconds. */
    public static final int HOLD_SECONDS = 30;
    /** The band around the settled level, as a fraction of it. */
    public static final double BAND = 0.2;
    /** The settled level is the mean over arrivals in [event + SETTLED_FROM, event + SETTLED_TO]. */
    public static final double SETTLED_FROM = 180;
    public static final double SETTLED_TO = 360;

    /**
     * The recovery after {@code eventSeconds}, empty when there was no event ({@code NaN}).
     *
     * @param arrival      arrival times, city seconds, non-decreasing
     * @param latency      each prompt's latency, seconds (rejections at their SLO)
     * @param eventSeconds the event's city second, {@code NaN} when none
     * @param lastArrival  the run's last arrival, city seconds
     */
    public static Optional<Recovery> of(double[] arrival, double[] latency, double eventSeconds,
                                        double lastArrival) {
        if (Double.isNaN(eventSeconds)) {
            return Optional.empty();
        }
        requireSorted(arrival, latency);
        Recovery never = new Recovery(Math.max(0, lastArrival - eventSeconds), false);
        double settled = meanIn(arrival, latency, eventSeconds + SETTLED_FROM, eventSeconds + SETTLED_TO);
        if (Double.isNaN(settled) || arrival.length == 0) {
            return Optional.of(never);
        }
        long kStart = (long) Math.floor(Math.min(arrival[0], eventSeconds) - eventSeconds);
        long kEnd = (long) Math.floor(lastArrival - eventSeconds);
        if (kEnd < HOLD_SECONDS) {
            return Optional.of(never);
        }
        int points = Math.toIntExact(kEnd - kStart + 1);
        double[] r = rollingMean(arrival, latency, WINDOW_SECONDS, eventSeconds + kStart, 1.0, points);
        double band = BAND * settled;
        int run = 0;
        for (int i = Math.toIntExact(-kStart); i < points; i++) {
            // NaN (no value yet) fails the comparison, as it should.
            if (Math.abs(r[i] - settled) <= band) {
                run++;
                if (run == HOLD_SECONDS + 1) {
                    long k = kStart + i - HOLD_SECONDS;
                    return Optional.of(new Recovery(k, true));
                }
            } else {
                run = 0;
            }
        }
        return Optional.of(never);
    }

    /**
     * The rolling mean latency on a grid: {@code points} values at t = start + i·step, each the mean latency of
     * the prompts arriving in (t − window, t]; an empty window carries the previous value ({@code NaN} before
     * the first non-empty window).
     *
     * @param arrival arrival times, non-decreasing
     * @param latency latencies, same length
     */
    public static double[] rollingMean(double[] arrival, double[] latency, double window, double start,
                                       double step, int points) {
        requireSorted(arrival, latency);
        double[] out = new double[points];
        int n = arrival.length;
        int lo = 0; // first prompt with arrival > t − window
        int hi = 0; // first prompt with arrival > t
        double sum = 0;
        double previous = Double.NaN;
        for (int i = 0; i < points; i++) {
            double t = start + i * step;
            while (hi < n && arrival[hi] <= t) {
                sum += latency[hi++];
            }
            while (lo < hi && arrival[lo] <= t - window) {
                sum -= latency[lo++];
            }
            if (hi > lo) {
                previous = sum / (hi - lo);
            } else {
                sum = 0; // an empty window resets the running sum, which bounds its rounding drift
            }
            out[i] = previous;
        }
        return out;
    }

    private static double meanIn(double[] arrival, double[] latency, double from, double to) {
        double sum = 0;
        long count = 0;
        for (int i = lowerBound(arrival, from); i < arrival.length && arrival[i] <= to; i++) {
            sum += latency[i];
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The first index with {@code arrival[i] >= x}. */
    private static int lowerBound(double[] arrival, double x) {
        int lo = 0;
        int hi = arrival.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (arrival[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void requireSorted(double[] arrival, double[] latency) {
        if (arrival.length != latency.length) {
            throw new IllegalArgumentException("arrival and latency differ in length: " + arrival.length + " vs "
                    + latency.length);
        }
        for (int i = 1; i < arrival.length; i++) {
            if (arrival[i] < arrival[i - 1]) {
                throw new IllegalArgumentException("arrivals must be in arrival order, but arrival[" + i + "] = "
                        + arrival[i] + " < arrival[" + (i - 1) + "] = " + arrival[i - 1]);
            }
        }
    }
}
