package dev.edgeweave.core.routing;

/**
 * Chooses the server for one prompt. The same implementation decides in the discrete-event testbed and in
 * the live scheduler, so everything it needs arrives in its arguments; a router that learns from outcomes
 * (observed latencies, token shares) gets them through {@link #onDispatched} and {@link #onFinished}.
 *
 * <p>Implementations are deterministic given their construction seed and the calls made, which keeps
 * testbed runs reproducible.
 */
public interface Router {

    /** A short stable name, e.g. {@code round-robin}. */
    String name();

    /**
     * The index in {@code candidates} of the chosen server, or -1 when none will do (no candidate, all
     * capped or excluded).
     */
    int choose(RouteRequest request, Candidates candidates);

    /** The prompt went to server {@code serverIndex}. */
    default void onDispatched(RouteRequest request, int serverIndex, double now) {
    }

    /**
     * The prompt's attempt at {@code serverIndex} ended after {@code latencySeconds} (end to end);
     * {@code completed} is false for a failure or hand-back.
     */
    default void onFinished(RouteRequest request, int serverIndex, double latencySeconds, boolean completed,
                            double now) {
    }
}
