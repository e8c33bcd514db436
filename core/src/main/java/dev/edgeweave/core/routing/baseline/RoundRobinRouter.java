package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code round-robin}: the vLLM production-stack router's default policy.
 *
 * <p>Source: vllm-project/production-stack, {@code src/vllm_router/routers/routing_logic.py},
 * {@code RoundRobinRouter.route_request}: the endpoints serving the requested model (filtered by
 * {@code route_general_request} in {@code services/request_service/request.py}) are sorted by URL, and request
 * number {@code k} goes to {@code sorted[k % len(sorted)]}. No load, no latency, no state but the counter.
 *
 * <p>Adapted to edgeweave:
 * <ul>
 *   <li>an endpoint is a candidate server for the prompt's model, and the sort key is the server's stable
 *       index in the city instead of its URL;</li>
 *   <li>one counter <em>per model</em>. Upstream the router is a process-wide singleton with one counter shared
 *       by every model, so each model's rotation skips ahead by the requests of the others (a comment in its source admits
 *       the rotation is not "perfectly" round-robin). A counter per model makes each model's endpoints take
 *       turns exactly, which is what the policy means: the best honest version of it.</li>
 * </ul>
 * As upstream, when the candidate set changes size the position {@code k % n} jumps; the counter is not reset.
 * The router is deterministic and uses no randomness.
 */
public final class RoundRobinRouter implements Router {

    public static final String NAME = "round-robin";

    /** Requests routed so far, per model id: a one-element array so the count is bumped without boxing. */
    private final Map<String, long[]> counters = new HashMap<>();
    private final BaselineSupport.ServerOrder order = new BaselineSupport.ServerOrder();

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
        long[] counter = counters.computeIfAbsent(request.model().id(), id -> new long[1]);
        int[] sorted = order.sort(candidates);
        int chosen = sorted[(int) (counter[0] % n)];
        counter[0]++;
        return chosen;
    }
}
