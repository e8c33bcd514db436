/**
 * Scenarios of the testbed: a city (access points, sites, servers, links), the GPU and model catalogs it uses
 * (with scenario-level model variants), SLOs, what load 1.0 is, and the workload's mix, sizes, bursts and
 * shift, read from YAML ({@code scenarios/bristol-7.yaml} documents every field with its reason).
 *
 * <p>{@link dev.edgeweave.testbed.scenario.ScenarioLoader} reads and validates a file into an immutable
 * {@link dev.edgeweave.testbed.scenario.Scenario}; every problem is reported at once, each with its file, line
 * and field, as a {@link dev.edgeweave.testbed.scenario.ScenarioException}. Nothing here touches Kafka.
 */
package dev.edgeweave.testbed.scenario;
