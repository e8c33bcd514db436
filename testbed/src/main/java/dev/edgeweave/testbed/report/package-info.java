/**
 * The evaluation's output: {@link dev.edgeweave.testbed.report.Summaries} turns the engine's
 * {@link dev.edgeweave.testbed.engine.RunResult}s into one {@link dev.edgeweave.testbed.report.PolicySummary}
 * per policy (DESIGN "Evaluation"), {@link dev.edgeweave.testbed.report.SummaryJson} writes and reads
 * {@code summary.json}, {@link dev.edgeweave.testbed.report.PromptCsv} writes one row per prompt, and
 * {@link dev.edgeweave.testbed.report.Report} writes {@code report.md} with its PNG charts. Everything here is
 * a pure function of its inputs but for the files it writes; none of it reads or writes Kafka topics.
 */
package dev.edgeweave.testbed.report;
