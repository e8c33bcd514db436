package dev.edgeweave.testbed.scenario;

/**
 * How long a scenario's workload runs: a span of city time, or a number of prompts.
 *
 * <p>Exactly one is set. By seconds, arrivals fall in {@code [0, seconds)} whatever the load, so a higher load
 * brings more prompts. By prompts, exactly that many are generated and the span follows from the rate (a
 * higher load makes it shorter): the form for a fixed-size benchmark such as city-100's million prompts.
 *
 * @param seconds city seconds, or 0 when by prompts
 * @param prompts prompts, or 0 when by seconds
 */
public record Horizon(double seconds, long prompts) {

    public Horizon {
        boolean bySeconds = seconds > 0 && Double.isFinite(seconds);
        boolean byPrompts = prompts > 0;
        if (bySeconds == byPrompts || seconds < 0 || prompts < 0) {
            throw new IllegalArgumentException("a horizon is either seconds > 0 or prompts > 0, was seconds="
                    + seconds + ", prompts=" + prompts);
        }
    }

    public static Horizon ofSeconds(double seconds) {
        return new Horizon(seconds, 0);
    }

    public static Horizon ofPrompts(long prompts) {
        return new Horizon(0, prompts);
    }

    /** True when the horizon is a number of prompts. */
    public boolean byPrompts() {
        return prompts > 0;
    }
}
