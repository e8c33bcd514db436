package dev.edgeweave.scheduler;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import java.time.Instant;
import java.util.List;

/**
 * The candidates of one prompt, built from the {@link CityState}: every server whose heartbeat is fresh, that is
 * not draining or excluded and whose link from the prompt's access point is not down, holding the model (READY, or LOADING with its ETA) or able to load it
 * within the free memory of a GPU (COLD). Reused for every prompt of a task: no allocation per candidate
 * except a loading deployment's readiness.
 */
final class NodeCandidates implements Candidates {

    private NodeView[] node = new NodeView[0];
    private DeploymentState[] dep = new DeploymentState[0];
    private int[] gpu = new int[0];
    private int[] index = new int[0];
    private DeploymentReadiness[] readiness = new DeploymentReadiness[0];
    private NetworkPath[] path = new NetworkPath[0];
    private int[] delta = new int[0];
    private int[] deltaTotal = new int[0];
    private double[] distance = new double[0];
    private int n;
    private ModelSpec model;

    /**
     * Fills the view for a prompt of {@code model} at {@code now}.
     *
     * @param nodes   the city's servers ({@link CityState#nodes()}, read once by the caller)
     * @param context the network from the prompt's access point, and the local deltas, per server
     */
    void build(NodeView[] nodes, ModelSpec model, Instant now, long heartbeatTimeoutMillis, List<String> excluded,
               Context context) {
        if (node.length < nodes.length) {
            int size = nodes.length;
            node = new NodeView[size];
            dep = new DeploymentState[size];
            gpu = new int[size];
            index = new int[size];
            readiness = new DeploymentReadiness[size];
            path = new NetworkPath[size];
            delta = new int[size];
            deltaTotal = new int[size];
            distance = new double[size];
        }
        this.model = model;
        n = 0;
        long nowMillis = now.toEpochMilli();
        String modelId = model.id().intern(); // see NodeView.deployment
        boolean anyExcluded = !excluded.isEmpty();
        for (int s = 0; s < nodes.length; s++) {
            NodeView v = nodes[s];
            if (v.draining || !v.fresh(now, heartbeatTimeoutMillis) || (anyExcluded && excluded.contains(v.id))) {
                continue;
            }
            NetworkPath p = context.path(v, s);
            if (!p.reachable()) {
                continue; // the link from the prompt's access point is down
            }
            // One look-up: held and serving (READY or LOADING), not held (COLD if it fits), or held otherwise.
            DeploymentState d = v.deployment(modelId);
            int g;
            DeploymentReadiness r;
            if (d == null) {
                g = v.bestFitGpu(model.memoryBytes());
                if (g < 0) {
                    continue;
                }
                r = DeploymentReadiness.COLD;
            } else if (d.getStatus() == DeploymentStatus.READY || d.getStatus() == DeploymentStatus.LOADING) {
                g = d.getGpuIndex();
                r = d.getStatus() == DeploymentStatus.READY || d.getReadyAt() == null ? DeploymentReadiness.READY
                        : DeploymentReadiness.loading(Math.max(0, (d.getReadyAt().toEpochMilli() - nowMillis)
                                / 1000.0));
            } else {
                continue; // draining or unloading: takes nothing new
            }
            node[n] = v;
            dep[n] = d;
            gpu[n] = g;
            index[n] = s;
            readiness[n] = r;
            path[n] = p;
            distance[n] = context.distanceKm(v, s);
            delta[n] = context.delta(v, s);
            deltaTotal[n] = context.deltaTotal(v, s);
            n++;
        }
    }

    /** What the view takes from its caller for the server at {@code position} of the nodes it was given. */
    interface Context {
        /** The network path from the prompt's access point. */
        NetworkPath path(NodeView server, int position);

        /** The distance from the prompt's access point, km. */
        double distanceKm(NodeView server, int position);

        /** Prompts of the prompt's model this task dispatched to the server since its last state. */
        int delta(NodeView server, int position);

        /** Prompts of every model this task dispatched to the server since its last state. */
        int deltaTotal(NodeView server, int position);
    }

    @Override public int size() { return n; }
    @Override public int serverIndex(int i) { return index[i]; }
    @Override public String serverId(int i) { return node[i].id; }
    @Override public GpuType gpu(int i) { return node[i].gpuTypes[gpu[i]]; }
    @Override public NetworkPath path(int i) { return path[i]; }
    @Override public double distanceKm(int i) { return distance[i]; }
    @Override public DeploymentReadiness readiness(int i) { return readiness[i]; }
    @Override public int queued(int i) { return (dep[i] == null ? 0 : dep[i].getQueued()) + delta[i]; }
    @Override public int running(int i) { return dep[i] == null ? 0 : dep[i].getRunning(); }
    @Override public int concurrency(int i) {
        return dep[i] == null ? PlacementPlanner.concurrencyFor(model) : Math.max(1, dep[i].getConcurrency());
    }
    @Override public double meanServiceSeconds(int i) { return dep[i] == null ? 0 : dep[i].getMeanServiceSeconds(); }
    @Override public double storageBytesPerSecond(int i) { return node[i].storageBytesPerSecond; }
    @Override public int serverInFlight(int i) { return node[i].inFlight + deltaTotal[i]; }
    @Override public double memoryUtilisation(int i) { return node[i].memoryUtilisation; }
    @Override public double gpuUtilisation(int i) { return node[i].utilisation[gpu[i]]; }
    @Override public double gpuShare(int i) {
        return node[i].share(gpu[i], dep[i], dep[i] == null ? 1.0 : dep[i].getShareWeight());
    }
}
