package dev.edgeweave.core.placement;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * edgeweave's placement (the long-term planning agent's optimizer): which models each server holds so that
 * the city's expected latency, weighted by each class's priority, is lowest.
 *
 * <p><b>Objective.</b> A GPU shared by several deployments behaves as a processor-sharing server, whose mean
 * sojourn time is {@code t / (1 − ρ)} for work {@code t} at utilisation {@code ρ}; batching stretches a
 * prompt by up to the law's per-prompt slowdown as the GPU fills. Given a placement, each model's demand is
 * split over its replicas the way a latency-aware router would: in small chunks, each to the replica where
 * it adds the least latency. The cost is {@code Σ priority_m · λ_mg · t_mg · stretch / (1 − ρ_g)}; a GPU
 * driven to saturation, or a model with demand and no replica, costs a penalty that dominates every real
 * latency. This prices what the utilisation-only {@link PlacementPlanner} ignores: an 8B chat model on a
 * 15-TFLOPS module serves, but at fifteen times the latency of an A100.
 *
 * <p><b>Search.</b> Greedy from the placement in force: every model with demand first gets a replica; then,
 * repeatedly, the single change that lowers the cost most — a load where memory allows, or, where it does
 * not, the eviction of a deployment whose model keeps another replica — as long as it lowers the cost by
 * the options' minimum improvement, at most {@link PlacementPlanner.Options#maxChangesPerServer()} changes per
 * server and at most {@code models + ⌈MAX_STEPS_FACTOR · servers⌉} changes in all (which bounds the
 * planner's time on large cities). With one change per server per period an
 * eviction and the load it makes room for take two periods, as DESIGN.md's churn limit asks. Memory is never
 * exceeded.
 */
public final class LatencyPlanner {

    /** Demand chunks per model when splitting it over replicas. */
    static final int CHUNKS = 8;
    /** Utilisation treated as saturation. */
    static final double SATURATION = 0.97;
    /** Cost of one unit of demand that has nowhere to go, seconds: far above any real latency. */
    static final double UNSERVED = 1e5;
    /** Most models for which GPUs are grouped by the models they hold (a bit each in a signature). */
    static final int MAX_MODELS_FOR_SYMMETRY = 50;
    /** Bounds of a deployment's share weight. */
    static final double MIN_SHARE = 0.1;
    static final double MAX_SHARE = 10.0;
    /** Steps per planning call, per server (bounds the planner's time on large cities). */
    static final double MAX_STEPS_FACTOR = 0.5;

    private LatencyPlanner() {
    }

    /**
     * Plans a placement.
     *
     * @param servers the servers that may hold models (down servers left out)
     * @param demands every model to place: rate (prompts/s), typical prompt, priority
     * @param current the placement in force
     * @param options churn limit, minimum improvement, deployments per GPU
     */
    public static Placement plan(List<EdgeServer> servers, List<ModelDemand> demands, Placement current,
                                 PlacementPlanner.Options options) {
        Search s = new Search(servers, demands, options);
        s.seed(current);
        s.ensureEveryModel();
        s.improve();
        return s.toPlacement();
    }

    /** The cost of {@code placement} under {@code demands}: the objective the planner minimises. */
    public static double cost(List<EdgeServer> servers, List<ModelDemand> demands, Placement placement) {
        Search s = new Search(servers, demands, new PlacementPlanner.Options(1, Integer.MAX_VALUE, 0, Integer.MAX_VALUE));
        s.seed(placement);
        return s.cost();
    }

    private static final class Search {
        final List<EdgeServer> servers;
        final PlacementPlanner.Options options;
        final ModelSpec[] models;
        final Map<String, Integer> modelIndex = new HashMap<>();
        final double[] rate;
        final double[] priority;
        final int[] concurrency;
        final double[] gain;
        final double[] batchStretch;
        final double[] referenceWork;
        final int[] gpuServer;
        final int[] gpuIndex;
        final long[] gpuMemory;
        final long[] gpuUsed;
        final int[] gpuType;
        final boolean[][] holds; // [model][gpu]
        final double[][] work;   // [model][gpu] batch-1 seconds of the typical prompt
        final int[] changes;
        final int nGpus;
        // scratch for cost()
        final double[] rho;
        final double[][] flow;
        final int[][] replicaGpus; // [model][i]: the GPUs holding the model, filled by cost()
        final int[] replicaCount;

        Search(List<EdgeServer> servers, List<ModelDemand> demands, PlacementPlanner.Options options) {
            this.servers = List.copyOf(servers);
            this.options = options;
            int nm = demands.size();
            models = new ModelSpec[nm];
            rate = new double[nm];
            priority = new double[nm];
            concurrency = new int[nm];
            gain = new double[nm];
            batchStretch = new double[nm];
            referenceWork = new double[nm];
            for (int m = 0; m < nm; m++) {
                ModelDemand d = demands.get(m);
                models[m] = d.model();
                if (modelIndex.putIfAbsent(d.model().id(), m) != null) {
                    throw new IllegalArgumentException("model " + d.model().id() + " is listed twice");
                }
                rate[m] = d.rate();
                priority[m] = d.priority();
                concurrency[m] = PlacementPlanner.concurrencyFor(d.model());
                // Batches are rarely full below saturation: count on the gain of half the slots.
                gain[m] = LatencyLaws.aggregateSpeedup(d.model(), Math.max(1, concurrency[m] / 2));
                batchStretch[m] = LatencyLaws.perPromptSlowdown(d.model(), concurrency[m]);
                referenceWork[m] = LatencyLaws.referenceInferenceSeconds(d.model(), d.typical());
            }
            List<int[]> g = new ArrayList<>();
            for (int s = 0; s < this.servers.size(); s++) {
                for (int i = 0; i < this.servers.get(s).gpus().size(); i++) {
                    g.add(new int[] {s, i});
                }
            }
            nGpus = g.size();
            gpuServer = new int[nGpus];
            gpuIndex = new int[nGpus];
            gpuMemory = new long[nGpus];
            gpuUsed = new long[nGpus];
            gpuType = new int[nGpus];
            Map<String, Integer> types = new HashMap<>();
            for (int k = 0; k < nGpus; k++) {
                gpuServer[k] = g.get(k)[0];
                gpuIndex[k] = g.get(k)[1];
                gpuMemory[k] = this.servers.get(gpuServer[k]).gpus().get(gpuIndex[k]).memoryBytes();
                gpuType[k] = types.computeIfAbsent(this.servers.get(gpuServer[k]).gpus().get(gpuIndex[k]).id(),
                        t -> types.size());
            }
            holds = new boolean[nm][nGpus];
            work = new double[nm][nGpus];
            for (int m = 0; m < nm; m++) {
                for (int k = 0; k < nGpus; k++) {
                    work[m][k] = LatencyLaws.inferenceSeconds(models[m],
                            this.servers.get(gpuServer[k]).gpus().get(gpuIndex[k]), demands.get(m).typical());
                }
            }
            changes = new int[this.servers.size()];
            rho = new double[nGpus];
            flow = new double[nm][nGpus];
            replicaGpus = new int[nm][nGpus];
            replicaCount = new int[nm];
        }

        void seed(Placement current) {
            Map<String, Integer> serverIndex = new HashMap<>();
            for (int s = 0; s < servers.size(); s++) {
                serverIndex.put(servers.get(s).id(), s);
            }
            current.byServer().forEach((serverId, deployments) -> {
                Integer s = serverIndex.get(serverId);
                if (s == null) {
                    return;
                }
                for (Deployment d : deployments) {
                    Integer m = modelIndex.get(d.modelId());
                    int k = gpu(s, d.gpuIndex());
                    if (m != null && k >= 0 && gpuMemory[k] - gpuUsed[k] >= models[m].memoryBytes()
                            && !serverHolds(s, m)) {
                        add(m, k);
                    } else {
                        // Dropped (a model no longer asked for, or one that does not fit): an unload, which
                        // counts against the server's churn limit like any other change.
                        changes[s]++;
                    }
                }
            });
        }

        int gpu(int server, int index) {
            for (int k = 0; k < nGpus; k++) {
                if (gpuServer[k] == server && gpuIndex[k] == index) {
                    return k;
                }
            }
            return -1;
        }

        boolean serverHolds(int server, int m) {
            for (int k = 0; k < nGpus; k++) {
                if (gpuServer[k] == server && holds[m][k]) {
                    return true;
                }
            }
            return false;
        }

        int deploymentsOn(int k) {
            int n = 0;
            for (boolean[] h : holds) {
                n += h[k] ? 1 : 0;
            }
            return n;
        }

        int replicas(int m) {
            int n = 0;
            for (boolean h : holds[m]) {
                n += h ? 1 : 0;
            }
            return n;
        }

        void add(int m, int k) {
            holds[m][k] = true;
            gpuUsed[k] += models[m].memoryBytes();
        }

        void remove(int m, int k) {
            holds[m][k] = false;
            gpuUsed[k] -= models[m].memoryBytes();
        }

        boolean canLoad(int m, int k) {
            return !holds[m][k] && gpuMemory[k] - gpuUsed[k] >= models[m].memoryBytes()
                    && deploymentsOn(k) < options.maxDeploymentsPerGpu()
                    && changes[gpuServer[k]] < options.maxChangesPerServer() && !serverHolds(gpuServer[k], m);
        }

        void ensureEveryModel() {
            for (int m = 0; m < models.length; m++) {
                if (replicas(m) > 0) {
                    continue;
                }
                int best = -1;
                for (int k = 0; k < nGpus; k++) {
                    if (canLoad(m, k) && (best < 0 || work[m][k] < work[m][best])) {
                        best = k;
                    }
                }
                if (best >= 0) {
                    add(m, best);
                    changes[gpuServer[best]]++;
                }
            }
        }

        /** The objective; fills {@link #rho} and {@link #flow}. */
        double cost() {
            Arrays.fill(rho, 0);
            for (int m = 0; m < models.length; m++) {
                Arrays.fill(flow[m], 0);
                int n = 0;
                for (int k = 0; k < nGpus; k++) {
                    if (holds[m][k]) {
                        replicaGpus[m][n++] = k;
                    }
                }
                replicaCount[m] = n;
            }
            double penalty = 0;
            // Chunks interleaved across models, so no model gets first pick of every fast GPU.
            for (int c = 0; c < CHUNKS; c++) {
                for (int m = 0; m < models.length; m++) {
                    if (rate[m] <= 0) {
                        continue;
                    }
                    double chunk = rate[m] / CHUNKS;
                    int best = -1;
                    double bestCost = Double.POSITIVE_INFINITY;
                    for (int r = 0; r < replicaCount[m]; r++) {
                        int k = replicaGpus[m][r];
                        double after = rho[k] + chunk * work[m][k] / gain[m];
                        double marginal = after >= SATURATION ? UNSERVED * after
                                : work[m][k] * stretch(m, after) / (1 - after);
                        if (marginal < bestCost) {
                            bestCost = marginal;
                            best = k;
                        }
                    }
                    if (best < 0) {
                        penalty += priority[m] * chunk * UNSERVED;
                        continue;
                    }
                    rho[best] += chunk * work[m][best] / gain[m];
                    flow[m][best] += chunk;
                }
            }
            double total = penalty;
            for (int m = 0; m < models.length; m++) {
                for (int i = 0; i < replicaCount[m]; i++) {
                    int k = replicaGpus[m][i];
                    if (flow[m][k] > 0) {
                        double r = rho[k];
                        double latency = r >= SATURATION ? UNSERVED * r : work[m][k] * stretch(m, r) / (1 - r);
                        total += priority[m] * flow[m][k] * latency;
                    }
                }
            }
            return total;
        }

        private double stretch(int m, double utilisation) {
            return 1 + (batchStretch[m] - 1) * Math.min(1, utilisation);
        }

        /** A GPU's type and the set of models it holds, as one number: equal for interchangeable GPUs. */
        long signature(int k) {
            long mask = 0;
            for (int m = 0; m < models.length; m++) {
                if (holds[m][k]) {
                    mask |= 1L << m;
                }
            }
            return mask * 4096 + gpuType[k];
        }

        void improve() {
            int maxSteps = Math.max(models.length, (int) Math.ceil(MAX_STEPS_FACTOR * servers.size()) + models.length);
            for (int step = 0; step < maxSteps; step++) {
                double before = cost();
                double bestCost = before * (1 - options.minImprovement());
                int bestModel = -1;
                int bestGpu = -1;
                int evictModel = -1;
                for (int m = 0; m < models.length; m++) {
                    if (rate[m] <= 0) {
                        continue;
                    }
                    // GPUs of one type holding the same models are interchangeable for a load: try one of each.
                    Set<Long> tried = new HashSet<>();
                    for (int k = 0; k < nGpus; k++) {
                        if (holds[m][k] || serverHolds(gpuServer[k], m)) {
                            continue;
                        }
                        if (canLoad(m, k)) {
                            if (models.length <= MAX_MODELS_FOR_SYMMETRY && !tried.add(signature(k))) {
                                continue;
                            }
                            add(m, k);
                            double c = cost();
                            remove(m, k);
                            if (c < bestCost) {
                                bestCost = c;
                                bestModel = m;
                                bestGpu = k;
                                evictModel = -1;
                            }
                        } else if (changes[gpuServer[k]] < options.maxChangesPerServer()) {
                            // Make room: evict one deployment whose model keeps another replica.
                            for (int o = 0; o < models.length; o++) {
                                if (!holds[o][k] || replicas(o) < 2
                                        || gpuMemory[k] - gpuUsed[k] + models[o].memoryBytes() < models[m].memoryBytes()) {
                                    continue;
                                }
                                remove(o, k);
                                add(m, k);
                                double c = cost();
                                remove(m, k);
                                add(o, k);
                                if (c < bestCost) {
                                    bestCost = c;
                                    bestModel = m;
                                    bestGpu = k;
                                    evictModel = o;
                                }
                            }
                        }
                    }
                }
                if (bestModel < 0) {
                    return;
                }
                int server = gpuServer[bestGpu];
                if (evictModel >= 0) {
                    remove(evictModel, bestGpu);
                    changes[server]++;
                    if (changes[server] >= options.maxChangesPerServer()) {
                        continue; // the load it makes room for comes in a later period
                    }
                }
                add(bestModel, bestGpu);
                changes[server]++;
            }
        }

        Placement toPlacement() {
            double[] share = shareWeights();
            Map<String, List<Deployment>> out = new LinkedHashMap<>();
            for (int k = 0; k < nGpus; k++) {
                for (int m = 0; m < models.length; m++) {
                    if (holds[m][k]) {
                        out.computeIfAbsent(servers.get(gpuServer[k]).id(), x -> new ArrayList<>())
                                .add(new Deployment(models[m].id(), gpuIndex[k], concurrency[m], share[m]));
                    }
                }
            }
            return new Placement(out);
        }

        /**
         * Share weights: each model's priority (its class's fairness weight), normalised to a geometric mean of
         * 1 and rounded to two decimals so that noise in the weights does not resize deployments every period.
         * A class the fairness controller favours gets the larger share of a GPU it shares with others.
         * (Weighting shares by the inverse of a model's work, shortest-job-first style, was tried and measured:
         * it starved the long diffusion jobs and raised the mean latency, so it is not used.)
         */
        double[] shareWeights() {
            double[] w = new double[models.length];
            double logSum = 0;
            for (int m = 0; m < models.length; m++) {
                w[m] = priority[m];
                logSum += Math.log(w[m]);
            }
            double geo = Math.exp(logSum / Math.max(1, models.length));
            for (int m = 0; m < models.length; m++) {
                double v = Math.max(MIN_SHARE, Math.min(MAX_SHARE, w[m] / geo));
                w[m] = Math.round(v * 100) / 100.0;
            }
            return w;
        }
    }
}
