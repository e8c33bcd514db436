package dev.edgeweave.core.routing.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.List;

/**
 * A scripted sequence of router calls for the routers that learn from outcomes: choose (with the server
 * expected), dispatched, finished. Servers are named by server index, never by candidate position.
 */
final class Script {

    private Script() {
    }

    /** One call. */
    sealed interface Step permits Choose, Dispatch, Finish {
    }

    /** {@code choose} must pick the candidate with server index {@code expectedServer} (-1: none). */
    record Choose(RouteRequest request, int expectedServer) implements Step {
    }

    record Dispatch(RouteRequest request, int server, double now) implements Step {
    }

    record Finish(RouteRequest request, int server, double latencySeconds, boolean completed, double now)
            implements Step {
    }

    static Step expect(RouteRequest request, int server) {
        return new Choose(request, server);
    }

    static Step dispatch(RouteRequest request, int server, double now) {
        return new Dispatch(request, server, now);
    }

    static Step finish(RouteRequest request, int server, double latencySeconds, double now) {
        return new Finish(request, server, latencySeconds, true, now);
    }

    static Step fail(RouteRequest request, int server, double latencySeconds, double now) {
        return new Finish(request, server, latencySeconds, false, now);
    }

    /** Plays {@code steps} against {@code router}, asserting every choice. */
    static void run(Router router, Candidates candidates, List<Step> steps) {
        for (int k = 0; k < steps.size(); k++) {
            Step step = steps.get(k);
            if (step instanceof Choose c) {
                assertEquals(c.expectedServer(), chosenServer(router, c.request(), candidates),
                        "step " + k + " of " + steps);
            } else if (step instanceof Dispatch d) {
                router.onDispatched(d.request(), d.server(), d.now());
            } else if (step instanceof Finish f) {
                router.onFinished(f.request(), f.server(), f.latencySeconds(), f.completed(), f.now());
            }
        }
    }

    /** The server index the router chose, or -1. */
    static int chosenServer(Router router, RouteRequest request, Candidates candidates) {
        int i = router.choose(request, candidates);
        return i < 0 ? -1 : candidates.serverIndex(i);
    }
}
