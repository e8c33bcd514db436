package dev.edgeweave.testbed.engine;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.placement.OnDemandLoading;
import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.server.DeploymentStatus;
import dev.edgeweave.core.server.DeploymentView;
import dev.edgeweave.core.server.EmulatedServer;
import dev.edgeweave.core.sim.EventScheduler;
import java.util.BitSet;
import java.util.Map;

/**
 * The router's view in the testbed: the candidates of the prompt being routed, over the engine's live state
 * (its emulated servers, which servers the router knows to be down, prompts in transit, the servers a prompt
 * was handed back by). Reused for every prompt, no allocation per candidate.
 *
 * <p>{@link Simulation} owns the state and builds one of these over its arrays (it reads them live, never
 * copies); it is a class of its own, rather than the simulation's inner class, so that a test can build the
 * same view over a hand-made state and compare it with the streams scheduler's candidates for the same city.
 */
final class EngineView implements Candidates {

    private final EngineSetup setup;
    private final PolicySpec policy;
    private final EventScheduler clock;
    private final EmulatedServer[] servers;
    private final DeploymentView[][] deployments;
    private final boolean[] routerDown;
    private final Map<Integer, BitSet> excluded;
    private final int[][] inTransit;
    private final int[] transitTotal;
    private final double[][] gpuUtil;
    private final ModelSpec[] models;
    private final int[] concurrency;

    private final int[] server;
    private final GpuType[] gpu;
    private final DeploymentView[] dep;
    private final DeploymentReadiness[] readiness;
    private final int[] coldGpu;
    private int n;
    private int model;
    private int ap;

    /**
     * @param setup        the city, its servers (index = position) and the network paths
     * @param policy       whether cold candidates are offered, and whether on-demand loading may evict
     * @param clock        city time, for a loading deployment's ETA
     * @param servers      the emulated servers, by server index
     * @param deployments  the live deployment of model m on server s at [s][m], or null (the engine's index)
     * @param routerDown   servers the router knows to be down (a failure noticed after missed heartbeats)
     * @param excluded     per prompt index, the servers that handed it back
     * @param inTransit    prompts routed to [server][model] and not arrived yet (the scheduler's local deltas)
     * @param transitTotal prompts routed to a server and not arrived yet, over all models
     * @param gpuUtil      [server][gpu] busy share over the last short period
     * @param models       the models, by model index
     * @param concurrency  the batch slots a newly loaded deployment of model m gets
     */
    EngineView(EngineSetup setup, PolicySpec policy, EventScheduler clock, EmulatedServer[] servers,
               DeploymentView[][] deployments, boolean[] routerDown, Map<Integer, BitSet> excluded, int[][] inTransit,
               int[] transitTotal, double[][] gpuUtil, ModelSpec[] models, int[] concurrency) {
        this.setup = setup;
        this.policy = policy;
        this.clock = clock;
        this.servers = servers;
        this.deployments = deployments;
        this.routerDown = routerDown;
        this.excluded = excluded;
        this.inTransit = inTransit;
        this.transitTotal = transitTotal;
        this.gpuUtil = gpuUtil;
        this.models = models;
        this.concurrency = concurrency;
        int nServers = servers.length;
        server = new int[nServers];
        gpu = new GpuType[nServers];
        dep = new DeploymentView[nServers];
        readiness = new DeploymentReadiness[nServers];
        coldGpu = new int[nServers];
    }

    /** Fills the view with the candidates of prompt {@code prompt}, of model {@code m}, from access point {@code accessPoint}. */
    void build(int prompt, int m, int accessPoint) {
        n = 0;
        model = m;
        ap = accessPoint;
        BitSet ex = excluded.get(prompt);
        double now = clock.now();
        ModelSpec spec = models[m];
        for (int s = 0; s < servers.length; s++) {
            if (routerDown[s] || (ex != null && ex.get(s))) {
                continue;
            }
            EmulatedServer e = servers[s];
            DeploymentView d = deployment(s, m);
            if (d != null) {
                if (d.status() == DeploymentStatus.DRAINING) {
                    continue;
                }
                server[n] = s;
                dep[n] = d;
                gpu[n] = e.spec().gpus().get(d.gpuIndex());
                readiness[n] = d.status() == DeploymentStatus.READY ? DeploymentReadiness.READY
                        : DeploymentReadiness.loading(Math.max(0, d.readyAt() - now));
                n++;
            } else if (policy.coldStart()) {
                int g = e.bestFitGpu(spec);
                if (g < 0 && policy.placement() == PlacementMode.ONDEMAND) {
                    g = OnDemandLoading.reclaimableGpu(e, spec, v -> inTransitTo(e, v));
                }
                if (g >= 0) {
                    server[n] = s;
                    dep[n] = null;
                    gpu[n] = e.spec().gpus().get(g);
                    coldGpu[n] = g;
                    readiness[n] = DeploymentReadiness.COLD;
                    n++;
                }
            }
        }
    }

    /** The live deployment of model {@code m} on server {@code s}, or null; no map lookup per prompt. */
    DeploymentView deployment(int s, int m) {
        DeploymentView d = deployments[s][m];
        return d == null || d.removed() ? null : d;
    }

    /** Whether prompts are on their way to this deployment (the router's knowledge, not the server's). */
    boolean inTransitTo(EmulatedServer e, DeploymentView d) {
        return inTransit[e.serverIndex()][setup.modelIndex(d.modelId())] > 0;
    }

    @Override public int size() { return n; }
    @Override public int serverIndex(int i) { return server[i]; }
    @Override public String serverId(int i) { return setup.servers().get(server[i]).id(); }
    @Override public GpuType gpu(int i) { return gpu[i]; }
    @Override public NetworkPath path(int i) { return setup.path(ap, server[i]); }
    @Override public double distanceKm(int i) { return setup.distanceKm(ap, server[i]); }
    @Override public DeploymentReadiness readiness(int i) { return readiness[i]; }
    @Override public int queued(int i) {
        return (dep[i] == null ? 0 : dep[i].queued()) + inTransit[server[i]][model];
    }
    @Override public int running(int i) { return dep[i] == null ? 0 : dep[i].running(); }
    @Override public int concurrency(int i) { return dep[i] == null ? concurrency[model] : dep[i].concurrency(); }
    @Override public double meanServiceSeconds(int i) { return dep[i] == null ? 0 : dep[i].meanServiceSeconds(); }
    @Override public double storageBytesPerSecond(int i) {
        return setup.servers().get(server[i]).storageBytesPerSecond();
    }
    @Override public int serverInFlight(int i) { return servers[server[i]].inFlight() + transitTotal[server[i]]; }
    @Override public double memoryUtilisation(int i) { return servers[server[i]].memoryUtilisation(); }
    @Override public double gpuUtilisation(int i) {
        return gpuUtil[server[i]][gpuIndexOf(i)];
    }
    @Override public double gpuShare(int i) {
        int g = gpuIndexOf(i);
        double own = dep[i] == null ? 1.0 : dep[i].shareWeight();
        double total = own;
        for (DeploymentView d : servers[server[i]].deployments()) {
            if (d != dep[i] && d.gpuIndex() == g && d.running() > 0) {
                total += d.shareWeight();
            }
        }
        return own / total;
    }

    private int gpuIndexOf(int i) {
        return dep[i] == null ? coldGpu[i] : dep[i].gpuIndex();
    }
}
