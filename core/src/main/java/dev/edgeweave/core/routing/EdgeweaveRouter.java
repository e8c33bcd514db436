package dev.edgeweave.core.routing;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import dev.edgeweave.core.latency.LatencyBreakdown;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.latency.LatencyModel;
import dev.edgeweave.core.model.ModelSpec;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * edgeweave's per-prompt routing: the server with the lowest predicted end-to-end latency, the queueing term
 * priced by the class's weight in the current {@link RoutingWeights} (DESIGN.md, "A prompt's life", step 2).
 *
 * <p>For candidate {@code i} the prediction is {@link LatencyModel}'s, made sharper by three facts the
 * candidate view carries: the prompt runs at the deployment's share of its GPU (other models running there
 * take the rest), it is stretched by the batch it joins ({@link LatencyLaws#perPromptSlowdown} at
 * {@code running + 1} slots), and it waits only when every slot is taken:
 * {@code max(0, queued + running + 1 − concurrency) · meanService / concurrency}. A loading candidate pays
 * its remaining ETA. A cold candidate (one that would load the model first) is considered only when no
 * eligible server holds or is loading the model — after a failure took its last replica, say: a load
 * disturbs the placement the long-term agent chose and costs the prompt tens of seconds that no queue in a
 * placement sized for the demand should. Excluded servers and servers at their queue cap are skipped. Ties
 * go to the lower server index, so the decision is a pure function of its inputs.
 *
 * <p>Allocation-free on the per-prompt path; the weights are read once per decision from the supplier, so
 * a new policy takes effect on the next prompt.
 */
public final class EdgeweaveRouter implements Router {

    private final Supplier<RoutingWeights> weights;

    public EdgeweaveRouter(Supplier<RoutingWeights> weights) {
        this.weights = Objects.requireNonNull(weights, "weights");
    }

    @Override
    public String name() {
        return "edgeweave";
    }

    @Override
    public int choose(RouteRequest request, Candidates c) {
        RoutingWeights w = weights.get();
        double queueWeight = w.weight(request.modelClass());
        boolean anyWarm = false;
        for (int i = 0; i < c.size() && !anyWarm; i++) {
            anyWarm = c.readiness(i).kind() != DeploymentReadiness.Kind.COLD && eligible(w, c, i);
        }
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.size(); i++) {
            if ((anyWarm && c.readiness(i).kind() == DeploymentReadiness.Kind.COLD) || !eligible(w, c, i)) {
                continue;
            }
            double cost = networkSeconds(request, c, i) + loadWaitSeconds(request.model(), c, i)
                    + inferenceSeconds(request, c, i) + queueWeight * queueSeconds(request, c, i);
            if (cost < bestCost || (cost == bestCost && best >= 0 && c.serverIndex(i) < c.serverIndex(best))) {
                bestCost = cost;
                best = i;
            }
        }
        return best;
    }

    /** Not excluded by the policy and below its queue cap. */
    private static boolean eligible(RoutingWeights w, Candidates c, int i) {
        if (w.excluded().isEmpty() && w.maxQueued().isEmpty()) {
            return true;
        }
        String server = c.serverId(i);
        if (w.excluded().contains(server)) {
            return false;
        }
        Integer cap = w.maxQueued().get(server);
        return cap == null || c.queued(i) < cap;
    }

    /** The unweighted prediction for candidate {@code i}: what the chosen server is expected to deliver. */
    public static LatencyBreakdown predict(RouteRequest request, Candidates c, int i) {
        NetworkPath path = c.path(i);
        return new LatencyBreakdown(LatencyModel.uplinkSeconds(request.size(), path), path.rttSeconds(),
                queueSeconds(request, c, i), loadWaitSeconds(request.model(), c, i), inferenceSeconds(request, c, i),
                LatencyModel.downlinkSeconds(request.model(), request.size(), path));
    }

    static double networkSeconds(RouteRequest r, Candidates c, int i) {
        NetworkPath path = c.path(i);
        return LatencyModel.uplinkSeconds(r.size(), path) + path.rttSeconds()
                + LatencyModel.downlinkSeconds(r.model(), r.size(), path);
    }

    static double inferenceSeconds(RouteRequest r, Candidates c, int i) {
        ModelSpec m = r.model();
        GpuType gpu = c.gpu(i);
        double alone = LatencyLaws.inferenceSeconds(m, gpu, r.size()) / c.gpuShare(i);
        int batch = Math.min(c.running(i) + 1, Math.max(1, c.concurrency(i)));
        return batch <= 1 ? alone : alone * LatencyLaws.perPromptSlowdown(m, batch);
    }

    static double queueSeconds(RouteRequest r, Candidates c, int i) {
        int concurrency = Math.max(1, c.concurrency(i));
        int ahead = c.queued(i) + c.running(i) + 1 - concurrency;
        if (ahead <= 0) {
            return 0.0;
        }
        double service = c.meanServiceSeconds(i);
        if (!(service > 0)) {
            service = LatencyLaws.inferenceSeconds(r.model(), c.gpu(i), r.size());
        }
        return ahead * service / concurrency;
    }

    static double loadWaitSeconds(ModelSpec m, Candidates c, int i) {
        DeploymentReadiness r = c.readiness(i);
        return switch (r.kind()) {
            case READY -> 0.0;
            case LOADING -> r.etaSeconds();
            case COLD -> LatencyLaws.loadSeconds(m, c.storageBytesPerSecond(i));
        };
    }
}
