package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code least-busy}: LiteLLM router's {@code least-busy} strategy.
 *
 * <p>Source: BerriAI/litellm, {@code litellm/router_strategy/least_busy.py} ({@code LeastBusyLoggingHandler}).
 * The router counts its own in-flight calls per model group and deployment: {@code log_pre_api_call} adds one
 * just before a call is sent, the success and failure callbacks take one off; a deployment it has never called
 * counts 0; the deployment with the fewest in-flight calls wins. It reads nothing from the servers themselves.
 *
 * <p>Adapted to edgeweave: a model group is a model id and a deployment is a server's deployment of it, so the
 * counts are kept per (model, server index), raised by {@link #onDispatched} and lowered by {@link #onFinished}
 * whatever the outcome, exactly where LiteLLM's callbacks fire. Ties go to the lowest server index (upstream
 * they go to the first in dictionary insertion order, an incidental order); a count never goes below 0. The
 * candidates are LiteLLM's {@code healthy_deployments}: excluding unhealthy servers (LiteLLM's cooldowns) is the
 * caller's job. Deterministic, no randomness.
 */
public final class LeastBusyRouter implements Router {

    public static final String NAME = "least-busy";

    private static final int[] EMPTY = new int[0];

    /** In-flight prompts this router dispatched, per model id, indexed by server index. */
    private final Map<String, int[]> inFlight = new HashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int choose(RouteRequest request, Candidates candidates) {
        int n = candidates.size();
        if (n == 0) {
            return -1;
        }
        int[] counts = inFlight.get(request.model().id());
        int best = -1;
        int bestCount = Integer.MAX_VALUE;
        int bestServer = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int server = candidates.serverIndex(i);
            int count = counts != null && server >= 0 && server < counts.length ? counts[server] : 0;
            if (count < bestCount || (count == bestCount && server < bestServer)) {
                best = i;
                bestCount = count;
                bestServer = server;
            }
        }
        return best;
    }

    @Override
    public void onDispatched(RouteRequest request, int serverIndex, double now) {
        String model = request.model().id();
        int[] counts = BaselineSupport.ensure(inFlight.getOrDefault(model, EMPTY), serverIndex);
        counts[serverIndex]++;
        inFlight.put(model, counts);
    }

    @Override
    public void onFinished(RouteRequest request, int serverIndex, double latencySeconds, boolean completed,
                           double now) {
        BaselineSupport.checkServerIndex(serverIndex);
        int[] counts = inFlight.get(request.model().id());
        if (counts != null && serverIndex < counts.length && counts[serverIndex] > 0) {
            counts[serverIndex]--;
        }
    }

    /** In-flight count of {@code model} at {@code serverIndex}, for tests and diagnostics. */
    int inFlight(String model, int serverIndex) {
        int[] counts = inFlight.get(model);
        return counts != null && serverIndex < counts.length ? counts[serverIndex] : 0;
    }
}
