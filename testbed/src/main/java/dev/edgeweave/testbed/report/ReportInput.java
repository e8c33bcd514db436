package dev.edgeweave.testbed.report;

import dev.edgeweave.testbed.engine.RunResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link Report#write} draws from.
 *
 * @param scenario   the scenario's name
 * @param parameters the run's parameters as markdown text, written under the title as given (seeds, load,
 *                   scenario hash, commit, …)
 * @param policies   one summary per policy, in the order the table lists them
 * @param seedOne    the runs of seed 1, one per policy (any order), for the timeline; empty for no timeline
 * @param sweep      mean latency against load for every policy, {@code null} when no sweep was run
 */
public record ReportInput(String scenario, String parameters, List<PolicySummary> policies,
                          List<RunResult> seedOne, Sweep sweep) {

    public ReportInput {
        Objects.requireNonNull(scenario, "scenario");
        parameters = parameters == null ? "" : parameters;
        policies = List.copyOf(policies);
        seedOne = seedOne == null ? List.of() : List.copyOf(seedOne);
    }

    /** A report without a load sweep. */
    public ReportInput(String scenario, String parameters, List<PolicySummary> policies, List<RunResult> seedOne) {
        this(scenario, parameters, policies, seedOne, null);
    }

    /**
     * A load sweep.
     *
     * @param loads        the load factors, ascending
     * @param meanLatencyS per policy (in legend order), its mean latency at each load, seconds, aligned with
     *                     {@code loads}
     */
    public record Sweep(double[] loads, Map<String, double[]> meanLatencyS) {

        public Sweep {
            loads = loads.clone();
            Map<String, double[]> copy = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : meanLatencyS.entrySet()) {
                if (e.getValue().length != loads.length) {
                    throw new IllegalArgumentException("policy " + e.getKey() + " has " + e.getValue().length
                            + " sweep values for " + loads.length + " loads");
                }
                copy.put(e.getKey(), e.getValue().clone());
            }
            meanLatencyS = Collections.unmodifiableMap(copy);
        }
    }
}
