package dev.edgeweave.core.placement;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demand-proportional placement: the static placement every baseline shares (computed once per
 * scenario, {@link #STATIC}), and the capacity that defines a scenario's load 1.0. The long-term agent's own
 * placement is {@link LatencyPlanner}, which prices latency as well as utilisation; it takes its limits
 * from {@link #DYNAMIC}.
 *
 * <p><b>Capacity model.</b> A replica of model {@code m} on a GPU of type {@code g} serves
 * {@code B_m / t_mg} prompts a second when busy, where {@code t_mg} is the batch-1 inference time of the
 * model's typical prompt on {@code g} ({@link LatencyLaws}) and {@code B_m} the aggregate batching gain at
 * its concurrency. Deployments on one GPU split it: each gets {@code 1/k} of its time, {@code k} the number
 * of deployments there (the conservative case where all are busy at once). A model's capacity is the sum
 * over its replicas; its pressure {@code ρ_m = rate_m · priority_m / (target · capacity_m)}.
 *
 * <p><b>Algorithm.</b> Greedy water-filling on the worst pressure: every model with demand first gets one
 * replica on the GPU where it runs fastest and fits; then, while the highest pressure can be lowered, add a
 * replica of that model where the highest pressure afterwards is lowest (counting the slowdown it causes to
 * the GPU's other deployments), evicting a deployment whose model keeps another replica if memory is short.
 * Memory is never exceeded: a deployment is placed only where {@link ModelSpec#memoryBytes()} fits.
 *
 * <p><b>Hysteresis.</b> Planning from a current placement keeps it unless a change lowers the worst pressure
 * by at least {@link Options#minImprovement()}, and changes at most {@link Options#maxChangesPerServer()}
 * deployments per server per call (DESIGN.md's churn limit: one load or unload per server per planning
 * period), so the plan does not thrash when demand wobbles.
 */
public final class PlacementPlanner {

    /**
     * @param targetUtilisation   utilisation a plan aims to stay under (headroom for bursts)
     * @param maxChangesPerServer loads plus unloads allowed per server in one plan
     * @param minImprovement      relative drop of the worst pressure a change must bring, in [0, 1)
     * @param maxDeploymentsPerGpu most models one GPU may share its time between
     */
    public record Options(double targetUtilisation, int maxChangesPerServer, double minImprovement,
                          int maxDeploymentsPerGpu) {
        public Options {
            if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
                throw new IllegalArgumentException("targetUtilisation must be in (0, 1], was " + targetUtilisation);
            }
            if (maxChangesPerServer < 0 || maxDeploymentsPerGpu < 1) {
                throw new IllegalArgumentException("change and deployment limits must be positive");
            }
            if (!(minImprovement >= 0 && minImprovement < 1)) {
                throw new IllegalArgumentException("minImprovement must be in [0, 1), was " + minImprovement);
            }
        }
    }

    /** A placement computed once, from nothing: no churn limit, any improvement counts. */
    public static final Options STATIC = new Options(0.7, Integer.MAX_VALUE, 0.0, 4);
    /** Re-planning every period from the current placement: one change per server, 3% improvement. */
    public static final Options DYNAMIC = new Options(0.7, 1, 0.03, 4);

    private static final int LLM_CONCURRENCY = 8;

    private PlacementPlanner() {
    }

    /**
     * Batch slots for a deployment of {@code m}: models that gain from batching get up to 8 slots (below
     * the law's knee, where per-prompt slowdown stays small); the others serve one prompt at a time, since
     * sharing a GPU between prompts of a model without batching gain only stretches each of them.
     */
    public static int concurrencyFor(ModelSpec m) {
        int knee = m.law().batching().knee();
        return knee <= 1 ? 1 : Math.min(knee, LLM_CONCURRENCY);
    }

    /**
     * Plans a placement.
     *
     * @param servers  the servers that may hold models (down servers left out by the caller)
     * @param demands  every model to place, with its demand; a model with rate 0 still gets one replica
     * @param current  the placement in force (deployments on servers not in {@code servers} are dropped)
     * @param options  limits; {@link #STATIC} or {@link #DYNAMIC}
     */
    public static Placement plan(List<EdgeServer> servers, List<ModelDemand> demands, Placement current,
                                 Options options) {
        State s = new State(servers, demands, options);
        s.seed(current);
        s.ensureEveryModel();
        s.improve();
        return s.toPlacement();
    }

    /**
     * The largest total arrival rate, split over the models in {@code mix}'s proportions (its rates are
     * read as shares), that {@code placement} serves with every GPU's utilisation below 1, each model's
     * demand split over its replicas in proportion to their capacity.
     */
    public static double capacity(List<EdgeServer> servers, Placement placement, List<ModelDemand> mix) {
        State s = new State(servers, mix, new Options(1.0, Integer.MAX_VALUE, 0.0, Integer.MAX_VALUE));
        s.seed(placement);
        double total = mix.stream().mapToDouble(ModelDemand::rate).sum();
        if (!(total > 0)) {
            throw new IllegalArgumentException("the mix has no demand");
        }
        double[] capacity = s.modelCapacity();
        for (int m = 0; m < s.models.size(); m++) {
            if (s.rate[m] > 0 && capacity[m] == 0) {
                return 0.0;
            }
        }
        double best = Double.POSITIVE_INFINITY;
        for (Gpu g : s.gpus) {
            if (g.models.isEmpty()) {
                continue;
            }
            double sum = 0;
            for (int m : g.models) {
                sum += (s.rate[m] / total) / capacity[m];
            }
            if (sum > 0) {
                best = Math.min(best, g.models.size() / sum);
            }
        }
        return best;
    }

    /** The mutable working state of one planning call. */
    private static final class State {
        final List<EdgeServer> servers;
        final List<ModelSpec> models = new ArrayList<>();
        final Map<String, Integer> modelIndex = new HashMap<>();
        final double[] rate;
        final double[] weight;
        final int[] concurrency;
        final double[] batchGain;
        final List<Gpu> gpus = new ArrayList<>();
        final double[][] serviceSeconds; // [model][gpu]
        final int[] changes;
        final Options options;

        State(List<EdgeServer> servers, List<ModelDemand> demands, Options options) {
            this.servers = List.copyOf(servers);
            this.options = Objects.requireNonNull(options, "options");
            rate = new double[demands.size()];
            weight = new double[demands.size()];
            concurrency = new int[demands.size()];
            batchGain = new double[demands.size()];
            for (ModelDemand d : demands) {
                int i = models.size();
                if (modelIndex.putIfAbsent(d.model().id(), i) != null) {
                    throw new IllegalArgumentException("model " + d.model().id() + " is listed twice");
                }
                models.add(d.model());
                rate[i] = d.rate();
                weight[i] = d.priority();
                concurrency[i] = concurrencyFor(d.model());
                batchGain[i] = LatencyLaws.aggregateSpeedup(d.model(), concurrency[i]);
            }
            for (int si = 0; si < this.servers.size(); si++) {
                EdgeServer server = this.servers.get(si);
                for (int gi = 0; gi < server.gpus().size(); gi++) {
                    gpus.add(new Gpu(si, gi, server.gpus().get(gi)));
                }
            }
            serviceSeconds = new double[models.size()][gpus.size()];
            for (int m = 0; m < models.size(); m++) {
                for (int g = 0; g < gpus.size(); g++) {
                    serviceSeconds[m][g] = LatencyLaws.inferenceSeconds(models.get(m), gpus.get(g).type,
                            demands.get(m).typical());
                }
            }
            changes = new int[this.servers.size()];
        }

        void seed(Placement current) {
            Map<String, Integer> serverIndex = new HashMap<>();
            for (int i = 0; i < servers.size(); i++) {
                serverIndex.put(servers.get(i).id(), i);
            }
            current.byServer().forEach((serverId, deployments) -> {
                Integer si = serverIndex.get(serverId);
                if (si == null) {
                    return;
                }
                for (Deployment d : deployments) {
                    Integer m = modelIndex.get(d.modelId());
                    int g = gpuOf(si, d.gpuIndex());
                    if (m != null && g >= 0 && gpus.get(g).free() >= models.get(m).memoryBytes()) {
                        gpus.get(g).add(m, models.get(m).memoryBytes());
                    }
                }
            });
        }

        int gpuOf(int serverIdx, int gpuIndex) {
            for (int g = 0; g < gpus.size(); g++) {
                if (gpus.get(g).server == serverIdx && gpus.get(g).index == gpuIndex) {
                    return g;
                }
            }
            return -1;
        }

        boolean serverHolds(int serverIdx, int m) {
            for (Gpu g : gpus) {
                if (g.server == serverIdx && g.models.contains(m)) {
                    return true;
                }
            }
            return false;
        }

        void ensureEveryModel() {
            for (int m = 0; m < models.size(); m++) {
                if (replicas(m) > 0) {
                    continue;
                }
                int best = -1;
                for (int g = 0; g < gpus.size(); g++) {
                    Gpu gpu = gpus.get(g);
                    if (!canAdd(gpu, m)) {
                        continue;
                    }
                    if (best < 0 || serviceSeconds[m][g] < serviceSeconds[m][best]
                            || (serviceSeconds[m][g] == serviceSeconds[m][best] && gpu.free() > gpus.get(best).free())) {
                        best = g;
                    }
                }
                if (best < 0) {
                    best = evictFor(m);
                }
                if (best >= 0) {
                    gpus.get(best).add(m, models.get(m).memoryBytes());
                    changes[gpus.get(best).server]++;
                }
            }
        }

        /** Frees a GPU for {@code m} by evicting a model that keeps another replica; -1 when impossible. */
        int evictFor(int m) {
            for (int g = 0; g < gpus.size(); g++) {
                Gpu gpu = gpus.get(g);
                if (changes[gpu.server] + 2 > options.maxChangesPerServer() || serverHolds(gpu.server, m)) {
                    continue;
                }
                for (int other : List.copyOf(gpu.models)) {
                    if (replicas(other) > 1
                            && gpu.free() + models.get(other).memoryBytes() >= models.get(m).memoryBytes()) {
                        gpu.remove(other, models.get(other).memoryBytes());
                        changes[gpu.server]++;
                        return g;
                    }
                }
            }
            return -1;
        }

        boolean canAdd(Gpu gpu, int m) {
            return gpu.free() >= models.get(m).memoryBytes()
                    && gpu.models.size() < options.maxDeploymentsPerGpu()
                    && changes[gpu.server] < options.maxChangesPerServer()
                    && !serverHolds(gpu.server, m);
        }

        int replicas(int m) {
            int n = 0;
            for (Gpu g : gpus) {
                if (g.models.contains(m)) {
                    n++;
                }
            }
            return n;
        }

        double[] modelCapacity() {
            double[] cap = new double[models.size()];
            for (int g = 0; g < gpus.size(); g++) {
                Gpu gpu = gpus.get(g);
                for (int m : gpu.models) {
                    cap[m] += batchGain[m] / serviceSeconds[m][g] / gpu.models.size();
                }
            }
            return cap;
        }

        double pressure(int m, double[] cap) {
            if (rate[m] == 0) {
                return 0;
            }
            return cap[m] == 0 ? Double.POSITIVE_INFINITY
                    : rate[m] * weight[m] / (options.targetUtilisation() * cap[m]);
        }

        /** The worst pressure, and the sum as a tie-breaker folded in at a tiny weight. */
        double score() {
            double[] cap = modelCapacity();
            double worst = 0;
            double sum = 0;
            for (int m = 0; m < models.size(); m++) {
                double p = pressure(m, cap);
                worst = Math.max(worst, p);
                sum += Math.min(p, 1e6);
            }
            return worst + 1e-6 * sum;
        }

        int worstModel() {
            double[] cap = modelCapacity();
            int worst = -1;
            double w = -1;
            for (int m = 0; m < models.size(); m++) {
                double p = pressure(m, cap);
                if (p > w) {
                    w = p;
                    worst = m;
                }
            }
            return worst;
        }

        void improve() {
            int guard = 4 * gpus.size() * Math.max(1, models.size());
            while (guard-- > 0) {
                int m = worstModel();
                if (m < 0 || rate[m] == 0) {
                    return;
                }
                double before = score();
                int bestGpu = -1;
                double bestScore = before;
                for (int g = 0; g < gpus.size(); g++) {
                    Gpu gpu = gpus.get(g);
                    if (!canAdd(gpu, m)) {
                        continue;
                    }
                    gpu.add(m, models.get(m).memoryBytes());
                    double after = score();
                    gpu.remove(m, models.get(m).memoryBytes());
                    if (after < bestScore) {
                        bestScore = after;
                        bestGpu = g;
                    }
                }
                if (bestGpu < 0 || bestScore > before * (1 - options.minImprovement())) {
                    return;
                }
                gpus.get(bestGpu).add(m, models.get(m).memoryBytes());
                changes[gpus.get(bestGpu).server]++;
            }
        }

        Placement toPlacement() {
            Map<String, List<Deployment>> out = new LinkedHashMap<>();
            for (Gpu g : gpus) {
                for (int m : g.models) {
                    out.computeIfAbsent(servers.get(g.server).id(), k -> new ArrayList<>())
                            .add(new Deployment(models.get(m).id(), g.index, concurrency[m]));
                }
            }
            return new Placement(out);
        }
    }

    /** One GPU during planning: what it holds and how much memory is left. */
    private static final class Gpu {
        final int server;
        final int index;
        final GpuType type;
        final List<Integer> models = new ArrayList<>();
        long used;

        Gpu(int server, int index, GpuType type) {
            this.server = server;
            this.index = index;
            this.type = type;
        }

        long free() {
            return type.memoryBytes() - used;
        }

        void add(int m, long bytes) {
            models.add(m);
            used += bytes;
        }

        void remove(int m, long bytes) {
            models.remove(Integer.valueOf(m));
            used -= bytes;
        }
    }
}
