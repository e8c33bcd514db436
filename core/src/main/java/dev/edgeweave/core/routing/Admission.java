package dev.edgeweave.core.routing;

/**
 * Admission control: a new prompt whose chosen server's predicted latency is over {@code factor} times its SLO
 * is refused at once (OVERLOADED) rather than queued, so that queues stay bounded under overload. One rule for
 * the live scheduler and the testbed's runs that mirror it.
 */
public final class Admission {

    /** The scheduler's default factor. */
    public static final double DEFAULT_FACTOR = 4.0;

    private Admission() {
    }

    /**
     * Whether a prompt is admitted.
     *
     * @param predictedSeconds the chosen server's predicted end-to-end latency
     * @param sloSeconds       the prompt's SLO
     * @param factor           the admission factor; 0 admits everything
     */
    public static boolean admits(double predictedSeconds, double sloSeconds, double factor) {
        return factor == 0 || !(predictedSeconds > factor * sloSeconds);
    }
}
