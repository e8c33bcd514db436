package dev.edgeweave.testbed.report;

import dev.edgeweave.core.fairness.Fairness;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.testbed.engine.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link PolicySummary} from one policy's runs, one per seed: the statistics of DESIGN "Evaluation".
 *
 * <p>Choices the definitions leave open, made here once:
 * <ul>
 *   <li><b>Pooling.</b> Every statistic but {@code seedMeanLatencyS}, {@code backlogAtEndS} and
 *       {@code recoverySeconds} pools all arrivals of all seeds, so a seed with more prompts weighs more; user
 *       and class indices mean the same user and class in every seed.</li>
 *   <li><b>Percentiles</b> are exact nearest-rank over the pooled latencies: the p-th percentile is the
 *       ⌈p/100 · n⌉-th smallest value. No interpolation, so it is always a latency some prompt had.</li>
 *   <li><b>Rejections</b> count at their SLO in every latency and slowdown figure (the engine records them
 *       so).</li>
 *   <li><b>Lost prompts</b> (terminal records ≠ 1) are counted in {@code lost}. One with two or more terminal
 *       records keeps its recorded outcome. One with none has no outcome: it is neither completed nor
 *       rejected, counts at its SLO in the latency figures (losing a prompt is never cheaper than serving
 *       it), is never within its SLO, and is left out of the slowdown figures, which it has no value
 *       for.</li>
 * </ul>
 */
public final class Summaries {

    private static final ModelClass[] CLASSES = ModelClass.values();

    private Summaries() {
    }

    /**
     * The summary of {@code policy} over {@code seeds}.
     *
     * @param policy       the policy's name
     * @param seeds        one run per seed, in seed order (at least one)
     * @param classOfModel each model's class, by model index
     */
    public static PolicySummary of(String policy, List<RunResult> seeds, List<ModelClass> classOfModel) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(classOfModel, "classOfModel");
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("policy " + policy + ": a summary needs at least one seed");
        }
        int[] modelClass = new int[classOfModel.size()];
        for (int m = 0; m < modelClass.length; m++) {
            modelClass[m] = classOfModel.get(m).ordinal();
        }
        int total = 0;
        int maxUser = -1;
        for (RunResult r : seeds) {
            total = Math.addExact(total, r.size());
            for (int u : r.user()) {
                maxUser = Math.max(maxUser, u);
            }
        }

        double[] pooled = new double[total];
        int pooledCount = 0;
        List<Double> seedMeans = new ArrayList<>();
        double latencySum = 0;
        long withinSlo = 0;
        long completed = 0;
        long rejected = 0;
        long lost = 0;
        long rerouted = 0;
        long decisions = 0;
        long refusals = 0;
        double backlogSum = 0;
        double[] classLatencySum = new double[CLASSES.length];
        long[] classCount = new long[CLASSES.length];
        double[] classSlowdownSum = new double[CLASSES.length];
        long[] classSlowdownCount = new long[CLASSES.length];
        double[] userSlowdownSum = new double[maxUser + 1];
        long[] userSlowdownCount = new long[maxUser + 1];
        double recoverySum = 0;
        int recoveries = 0;
        boolean allRecovered = true;

        for (RunResult r : seeds) {
            double[] latency = effectiveLatency(r);
            double seedSum = 0;
            for (int i = 0; i < r.size(); i++) {
                byte terminals = r.terminalRecords()[i];
                boolean hasOutcome = terminals > 0;
                double lat = latency[i];
                int c = modelClass[r.model()[i]];
                pooled[pooledCount++] = lat;
                seedSum += lat;
                classLatencySum[c] += lat;
                classCount[c]++;
                if (terminals != 1) {
                    lost++;
                }
                if (hasOutcome) {
                    if (r.completed()[i]) {
                        completed++;
                        if (lat <= r.slo()[i]) {
                            withinSlo++;
                        }
                    } else {
                        rejected++;
                    }
                    double slowdown = r.slowdown()[i];
                    classSlowdownSum[c] += slowdown;
                    classSlowdownCount[c]++;
                    int u = r.user()[i];
                    userSlowdownSum[u] += slowdown;
                    userSlowdownCount[u]++;
                }
            }
            latencySum += seedSum;
            seedMeans.add(r.size() == 0 ? Double.NaN : seedSum / r.size());
            rerouted += r.rerouted();
            decisions += r.agentDecisions();
            refusals += r.guardRefusals();
            backlogSum += Math.max(0, r.lastTerminal() - r.lastArrival());
            Optional<Recovery> recovery = Recovery.of(r.arrival(), latency, r.eventSeconds(), r.lastArrival());
            if (recovery.isPresent()) {
                recoverySum += recovery.get().seconds();
                recoveries++;
                allRecovered &= recovery.get().recovered();
            }
        }

        Arrays.sort(pooled);
        Map<String, PolicySummary.ClassStats> perClass = new LinkedHashMap<>();
        List<Double> classSlowdowns = new ArrayList<>();
        List<Double> classLatencies = new ArrayList<>();
        String worstClass = null;
        double worst = Double.NaN;
        for (ModelClass mc : CLASSES) {
            int c = mc.ordinal();
            if (classCount[c] == 0) {
                continue;
            }
            double meanLatency = classLatencySum[c] / classCount[c];
            double meanSlowdown = classSlowdownCount[c] == 0 ? Double.NaN
                    : classSlowdownSum[c] / classSlowdownCount[c];
            perClass.put(mc.name(), new PolicySummary.ClassStats(meanLatency, meanSlowdown, classCount[c]));
            classLatencies.add(meanLatency);
            if (!Double.isNaN(meanSlowdown)) {
                classSlowdowns.add(meanSlowdown);
                if (worstClass == null || meanSlowdown > worst) {
                    worstClass = mc.name();
                    worst = meanSlowdown;
                }
            }
        }
        List<Double> userSlowdowns = new ArrayList<>();
        for (int u = 0; u < userSlowdownCount.length; u++) {
            if (userSlowdownCount[u] > 0) {
                userSlowdowns.add(userSlowdownSum[u] / userSlowdownCount[u]);
            }
        }

        return new PolicySummary(
                policy,
                total == 0 ? Double.NaN : latencySum / total,
                percentile(pooled, 50),
                percentile(pooled, 95),
                percentile(pooled, 99),
                seedMeans,
                total == 0 ? Double.NaN : (double) withinSlo / total,
                normalizedJain(classSlowdowns),
                normalizedJain(classLatencies),
                normalizedJain(userSlowdowns),
                completed,
                rejected,
                lost,
                rerouted,
                backlogSum / seeds.size(),
                recoveries == 0 ? null : recoverySum / recoveries,
                perClass,
                worstClass,
                worst,
                completed + rejected == 0 ? Double.NaN : (double) rejected / (completed + rejected),
                recoveries == 0 ? null : allRecovered,
                seeds.size(),
                total,
                decisions,
                refusals);
    }

    /**
     * The nearest-rank percentile of sorted values: the ⌈p/100 · n⌉-th smallest ({@code NaN} when empty).
     *
     * @param sorted values in ascending order
     * @param p      the percentile, in (0, 100]
     */
    public static double percentile(double[] sorted, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // Round p·n/100 before the ceiling so that 95·20/100 = 19 exactly, not 19.000000000000004.
        double rank = Math.ceil(Math.round(p * sorted.length * 1e6 / 100) / 1e6);
        int index = (int) Math.max(1, Math.min(sorted.length, rank)) - 1;
        return sorted[index];
    }

    /**
     * Latencies as the statistics count them: as recorded, except a prompt with no terminal record, which has
     * none and counts at its SLO. The engine's array itself when no prompt is lost that way.
     */
    static double[] effectiveLatency(RunResult r) {
        double[] latency = r.latency();
        byte[] terminals = r.terminalRecords();
        double[] copy = null;
        for (int i = 0; i < terminals.length; i++) {
            if (terminals[i] == 0) {
                if (copy == null) {
                    copy = latency.clone();
                }
                copy[i] = r.slo()[i];
            }
        }
        return copy == null ? latency : copy;
    }

    private static double normalizedJain(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return Fairness.normalizedJain(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
