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
import java.util.function.ToIntBiFunction;

/**
 * The candidates of one prompt, built from the {@link CityState}: every server whose heartbeat is fresh and
 * that is not draining or excluded, holding the model (READY, or LOADING with its ETA) or able to load it
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
    private double[] distance = new double[0];
    private int n;
    private ModelSpec model;

    /**
     * Fills the view for a prompt of {@code model} from {@code accessPointId} at {@code now}.
     *
     * @param network  the network path and distance from the prompt's access point to a server
     * @param deltaOf  prompts this instance dispatched to (server, model) since the server's last state
     */
    void build(CityState city, ModelSpec model, Instant now, long heartbeatTimeoutMillis, List<String> excluded,
               Network network, ToIntBiFunction<NodeView, String> deltaOf) {
        NodeView[] nodes = city.nodes();
        if (node.length < nodes.length) {
            int size = nodes.length;
            node = new NodeView[size];
            dep = new DeploymentState[size];
            gpu = new int[size];
            index = new int[size];
            readiness = new DeploymentReadiness[size];
            path = new NetworkPath[size];
            delta = new int[size];
            distance = new double[size];
        }
        this.model = model;
        n = 0;
        for (int s = 0; s < nodes.length; s++) {
            NodeView v = nodes[s];
            if (v.draining || !v.fresh(now, heartbeatTimeoutMillis) || excluded.contains(v.id)) {
                continue;
            }
            DeploymentState d = v.serving(model.id());
            int g;
            DeploymentReadiness r;
            if (d != null) {
                g = d.getGpuIndex();
                r = d.getStatus() == DeploymentStatus.READY || d.getReadyAt() == null ? DeploymentReadiness.READY
                        : DeploymentReadiness.loading(Math.max(0, (d.getReadyAt().toEpochMilli() - now.toEpochMilli())
                                / 1000.0));
            } else if (!v.byModel.containsKey(model.id())) {
                g = v.bestFitGpu(model.memoryBytes());
                if (g < 0) {
                    continue;
                }
                r = DeploymentReadiness.COLD;
            } else {
                continue; // draining or unloading: takes nothing new
            }
            node[n] = v;
            dep[n] = d;
            gpu[n] = g;
            index[n] = s;
            readiness[n] = r;
            path[n] = network.path(v);
            distance[n] = network.distanceKm(v);
            delta[n] = deltaOf.applyAsInt(v, model.id());
            n++;
        }
    }

    /** The network from the access point of the prompt being routed. */
    interface Network {
        NetworkPath path(NodeView server);

        double distanceKm(NodeView server);
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
    @Override public int serverInFlight(int i) { return node[i].inFlight + delta[i]; }
    @Override public double memoryUtilisation(int i) { return node[i].memoryUtilisation; }
    @Override public double gpuUtilisation(int i) { return node[i].utilisation[gpu[i]]; }
    @Override public double gpuShare(int i) {
        return node[i].share(gpu[i], dep[i], dep[i] == null ? 1.0 : dep[i].getShareWeight());
    }
}
