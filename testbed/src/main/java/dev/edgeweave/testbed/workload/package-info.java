/**
 * Workloads of the testbed: the arrival streams a scenario's policies are evaluated on.
 *
 * <ul>
 *   <li>{@link dev.edgeweave.testbed.workload.AzureTraceReader} reads the Azure LLM inference trace
 *       ({@code testbed/traces}, CC-BY 4.0) into primitive arrays, counting and reporting malformed rows;</li>
 *   <li>{@link dev.edgeweave.testbed.workload.WorkloadGenerator} turns a
 *       {@link dev.edgeweave.testbed.scenario.Scenario}, a seed, the reference rate and a load
 *       ({@link dev.edgeweave.testbed.workload.WorkloadOptions}) into a
 *       {@link dev.edgeweave.testbed.workload.Workload}: every prompt's arrival time, model, user, access point,
 *       sizes and SLO, sorted by time, in parallel arrays.</li>
 * </ul>
 * Nothing here reads or writes Kafka topics: the discrete-event engine consumes a {@code Workload} directly,
 * and the lab's producer turns one into {@code Prompt} records.
 */
package dev.edgeweave.testbed.workload;
