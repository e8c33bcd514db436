package dev.edgeweave.testbed.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One policy's evaluation over every seed: the statistics of DESIGN "Evaluation", pooled over all arrivals of
 * all seeds unless a field says otherwise. Built by {@link Summaries#of}; one element of {@code policies} in
 * {@code summary.json}. A statistic that has no value (no prompt at all) is {@code NaN} here and
 * {@code null} in the JSON.
 *
 * @param name                   the policy's name
 * @param meanLatencyS           mean latency, seconds; a rejection counts at its SLO
 * @param p50LatencyS            median latency (nearest rank over the pooled latencies), seconds
 * @param p95LatencyS            95th percentile latency (nearest rank), seconds
 * @param p99LatencyS            99th percentile latency (nearest rank), seconds
 * @param seedMeanLatencyS       one mean latency per seed, in the seeds' order
 * @param sloAttainment          share of prompts completed within their SLO ({@code completed && latency ≤ slo})
 * @param normalizedJainSlowdown Normalized Jain index over the per-class mean slowdown (the primary fairness
 *                               figure); classes with no prompts are left out
 * @param normalizedJainLatency  Normalized Jain index over the per-class mean latency
 * @param normalizedJainUsers    Normalized Jain index over the per-user mean slowdown
 * @param completed              prompts completed, summed over seeds
 * @param rejected               prompts rejected, summed over seeds
 * @param lost                   prompts without exactly one terminal record, summed over seeds
 * @param rerouted               prompts that needed more than one attempt, summed over seeds
 * @param backlogAtEndS          mean over seeds of {@code max(0, lastTerminal − lastArrival)}, seconds
 * @param recoverySeconds        mean over seeds of the recovery time after the run's event, {@code null} when
 *                               there was no event
 * @param perClass               per class (by {@code ModelClass} name, in enum order), only classes with prompts
 * @param worstClass             the class with the largest mean slowdown ({@code null} with no prompts)
 * @param worstClassMeanSlowdown its mean slowdown
 * @param rejectionRate          {@code rejected / (completed + rejected)}
 * @param recovered              {@code false} when some seed never recovered within its run (then
 *                               {@code recoverySeconds} is a lower bound); {@code null} when there was no event
 * @param seeds                  number of seeds
 * @param arrivals               prompts that arrived, summed over seeds
 * @param agentDecisions         agent decisions taken, summed over seeds
 * @param guardRefusals          decisions the guard refused or replaced, summed over seeds
 */
public record PolicySummary(
        String name,
        double meanLatencyS,
        double p50LatencyS,
        double p95LatencyS,
        double p99LatencyS,
        List<Double> seedMeanLatencyS,
        double sloAttainment,
        double normalizedJainSlowdown,
        double normalizedJainLatency,
        double normalizedJainUsers,
        long completed,
        long rejected,
        long lost,
        long rerouted,
        double backlogAtEndS,
        Double recoverySeconds,
        Map<String, ClassStats> perClass,
        String worstClass,
        double worstClassMeanSlowdown,
        double rejectionRate,
        Boolean recovered,
        int seeds,
        long arrivals,
        long agentDecisions,
        long guardRefusals) {

    public PolicySummary {
        Objects.requireNonNull(name, "name");
        seedMeanLatencyS = List.copyOf(seedMeanLatencyS);
        perClass = Collections.unmodifiableMap(new LinkedHashMap<>(perClass));
    }

    /**
     * One class's figures, pooled over seeds.
     *
     * @param meanLatencyS mean latency of its prompts, seconds (rejections at their SLO)
     * @param meanSlowdown mean slowdown of its prompts
     * @param count        its prompts, summed over seeds
     */
    public record ClassStats(double meanLatencyS, double meanSlowdown, long count) {
    }
}
