package dev.edgeweave.testbed.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.report.PolicySummary;
import dev.edgeweave.testbed.report.Summaries;
import dev.edgeweave.testbed.report.SummaryHeader;
import dev.edgeweave.testbed.report.SummaryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lab's files: {@code summary.json} in the testbed's shape (one policy, {@code edgeweave}, from measured
 * latencies, through the testbed's own {@link Summaries}) plus a {@code pipeline} block, and {@code report.md},
 * the live figures beside the testbed's for the same span, seed and load.
 */
public final class LabReport {

    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.md";
    /** The live mean latency agrees with the testbed's when within this share of it. */
    public static final double AGREEMENT = 0.25;

    private final Lab.Result r;
    private final PolicySummary live;
    private final PolicySummary testbed;

    public LabReport(Lab.Result r) {
        // The lab JVM's peak so far: it may have grown after the run measured it (the testbed's run, the stop).
        this.r = new Lab.Result(r.options(), r.scenarioName(), r.live(), r.testbed(), r.classOfModel(), r.pipeline(),
                new Lab.Memory(Math.max(r.memory().labJvmPeakBytes(), ProcessMemory.selfPeakResidentBytes()),
                        r.memory().brokerPeakBytes()), r.wallSeconds(), r.faults(), r.invariants());
        this.live = Summaries.of("edgeweave", List.of(r.live()), r.classOfModel());
        this.testbed = Summaries.of("edgeweave", List.of(r.testbed()), r.classOfModel());
    }

    /** Peak resident memory, the lab JVM's read when the report was made. */
    public Lab.Memory memory() {
        return r.memory();
    }

    public PolicySummary live() {
        return live;
    }

    public PolicySummary testbed() {
        return testbed;
    }

    /** Live mean latency over the testbed's; NaN when either is missing. */
    public double ratio() {
        return live.meanLatencyS() / testbed.meanLatencyS();
    }

    public boolean agrees() {
        return Math.abs(ratio() - 1) <= AGREEMENT;
    }

    /** Writes both files into {@code dir} (created). */
    public void write(Path dir, String scenarioSha256, String gitCommit) throws IOException {
        Files.createDirectories(dir);
        Lab.Options o = r.options();
        Lab.Pipeline p = r.pipeline();
        SummaryHeader header = new SummaryHeader(r.scenarioName(), scenarioSha256, gitCommit, 1, o.load(),
                r.live().size(), r.wallSeconds());
        SummaryJson.write(dir.resolve(SUMMARY), header, List.of(live), root -> {
            ObjectNode lab = root.putObject("lab").put("seed", o.seed()).put("durationSeconds", o.durationSeconds());
            SummaryJson.putDouble(lab, "speedup", o.speedup());
            SummaryJson.putDouble(lab, "citySeconds", o.citySpanSeconds());
            lab.put("trace", o.trace().map(Path::toString).orElse(null));
            lab.putArray("fail").addAll(o.failures().stream()
                    .map(f -> new com.fasterxml.jackson.databind.node.TextNode(spec(f))).toList());
            lab.putArray("chaos").addAll(o.chaos().stream()
                    .map(f -> new com.fasterxml.jackson.databind.node.TextNode(f.spec())).toList());
            ObjectNode pipeline = root.putObject("pipeline").put("produced", p.produced())
                    .put("completed", p.completed()).put("rejected", p.rejected()).put("deadLettered", p.deadLettered())
                    .put("lost", p.lost());
            SummaryJson.putDouble(pipeline, "schedulingOverheadP99Ms", p.schedulingOverheadP99Ms());
            SummaryJson.putDouble(pipeline, "schedulingOverheadP50Ms", p.schedulingOverheadP50Ms());
            SummaryJson.putDouble(pipeline, "routingP99Ms", p.routingP99Ms());
            pipeline.put("commitIntervalMs", p.commitIntervalMs());
            SummaryJson.putDouble(pipeline, "dispatchHopSeconds", p.dispatchHopSeconds());
            SummaryJson.putDouble(pipeline, "answerHopSeconds", p.answerHopSeconds());
            ObjectNode by = pipeline.putObject("rejectedBy");
            new TreeMap<>(p.rejectedBy()).forEach(by::put);
            ObjectNode unanswered = pipeline.putObject("unansweredAttempts");
            new TreeMap<>(p.unansweredBy()).forEach(unanswered::put);
            ObjectNode memory = pipeline.putObject("peakResidentMiB");
            SummaryJson.putDouble(memory, "labJvm", mib(r.memory().labJvmPeakBytes()));
            SummaryJson.putDouble(memory, "broker", mib(r.memory().brokerPeakBytes()));
            SummaryJson.putDouble(memory, "total", mib(r.memory().totalBytes()));
            SummaryJson.putDouble(root, "testbedMeanLatencyS", testbed.meanLatencyS());
            var faults = root.putArray("faults");
            for (Lab.FaultOutcome f : r.faults()) {
                ObjectNode o1 = faults.addObject().put("fault", f.fault());
                SummaryJson.putDouble(o1, "at", f.atSeconds());
                SummaryJson.putDouble(o1, "recoverySeconds", f.recoverySeconds());
                SummaryJson.putDouble(o1, "testbedRecoverySeconds", f.testbedRecoverySeconds());
                o1.put("recovered", f.recovered()).put("agentFallbacks", f.agentFallbacks());
                if (f.servedOverCutLink() >= 0) {
                    o1.put("servedOverCutLink", f.servedOverCutLink());
                }
            }
            Invariants i = r.invariants();
            ObjectNode inv = root.putObject("invariants").put("holds", i.holds()).put("prompts", i.prompts())
                    .put("accepted", i.accepted()).put("deadLettered", i.deadLettered())
                    .put("withoutTerminal", i.withoutTerminal()).put("withSeveralTerminals", i.withSeveralTerminals())
                    .put("terminalsWithoutPrompt", i.terminalsWithoutPrompt()).put("acceptedTwice", i.acceptedTwice())
                    .put("commandsAppliedTwice", i.commandsAppliedTwice());
            inv.putArray("examples").addAll(i.examples().stream()
                    .map(com.fasterxml.jackson.databind.node.TextNode::new).toList());
        });
        Files.writeString(dir.resolve(REPORT), markdown(gitCommit), StandardCharsets.UTF_8);
    }

    private static double mib(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / (1024.0 * 1024.0);
    }

    private static String spec(FailureEvent f) {
        String at = f.node() + "@" + trim(f.atSeconds());
        return Double.isFinite(f.downForSeconds()) ? at + "+" + trim(f.downForSeconds()) : at;
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    /** The report's text. */
    String markdown(String gitCommit) {
        Lab.Options o = r.options();
        Lab.Pipeline p = r.pipeline();
        StringBuilder b = new StringBuilder();
        line(b, "# edgeweave lab: %s", r.scenarioName());
        line(b, "");
        line(b, "`./edgeweave lab --scenario %s --duration %d --speedup %s --seed %d --load %s%s%s`, commit `%s`, "
                        + "%.0f s wall in all.", r.scenarioName(), o.durationSeconds(), trim(o.speedup()), o.seed(),
                trim(o.load()), o.trace().map(t -> " --trace " + t).orElse(""),
                String.join("", o.failures().stream().map(f -> " --fail " + spec(f)).toList())
                        + (o.chaos().isEmpty() ? "" : " --chaos PLAN"), gitCommit,
                r.wallSeconds());
        line(b, "");
        line(b, "The whole pipeline ran on this machine: a Kafka broker process, the scheduler (Kafka Streams, "
                + "exactly-once, commit interval %d ms), the planner (Flink MiniCluster) and one connector per server "
                + "with emulated GPUs, all on the city clock at speed-up %s. It replayed the first %.0f city seconds of "
                + "the scenario's workload (%d prompts) and measured every prompt's latency from the topics (the "
                + "terminal record's receive time minus the prompt's produce time, on the city clock).",
                p.commitIntervalMs(), trim(o.speedup()), o.citySpanSeconds(), p.produced());
        line(b, "");
        line(b, "## Live and testbed");
        line(b, "");
        line(b, "The testbed ran the same prompts (span, seed and load) through the same `core` routing, admission "
                + "control, agents and emulator, adding the lab's measured median hops: %s city s from produce to a server, %s city s from "
                + "a server's answer to the user (both include the exactly-once commit, × the speed-up).",
                fmt(p.dispatchHopSeconds(), "%.3f"), fmt(p.answerHopSeconds(), "%.3f"));
        line(b, "");
        line(b, "| | lab (measured) | testbed | lab / testbed |");
        line(b, "|---|---:|---:|---:|");
        row(b, "mean latency, s", live.meanLatencyS(), testbed.meanLatencyS(), "%.3f");
        row(b, "p50 latency, s", live.p50LatencyS(), testbed.p50LatencyS(), "%.3f");
        row(b, "p95 latency, s", live.p95LatencyS(), testbed.p95LatencyS(), "%.3f");
        row(b, "p99 latency, s", live.p99LatencyS(), testbed.p99LatencyS(), "%.3f");
        row(b, "SLO attainment", live.sloAttainment(), testbed.sloAttainment(), "%.3f");
        row(b, "Normalized Jain (class slowdown)", live.normalizedJainSlowdown(), testbed.normalizedJainSlowdown(),
                "%.3f");
        row(b, "completed", live.completed(), testbed.completed(), "%.0f");
        row(b, "rejected", live.rejected(), testbed.rejected(), "%.0f");
        row(b, "re-routed", live.rerouted(), testbed.rerouted(), "%.0f");
        row(b, "agent decisions", live.agentDecisions(), testbed.agentDecisions(), "%.0f");
        line(b, "");
        line(b, "**Agreement**: the live mean latency is %s the testbed's (lab / testbed = %s; the target is within "
                + "±%.0f %%): %s.", Double.isFinite(ratio()) ? String.format(Locale.ROOT, "%+.1f %% off",
                (ratio() - 1) * 100) : "not comparable with", fmt(ratio(), "%.3f"), AGREEMENT * 100,
                agrees() ? "**agrees**" : "**does not agree**");
        line(b, "");
        line(b, "### Per class");
        line(b, "");
        line(b, "| class | prompts | lab mean latency, s | testbed mean latency, s | lab mean slowdown | testbed mean "
                + "slowdown |");
        line(b, "|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, PolicySummary.ClassStats> e : live.perClass().entrySet()) {
            PolicySummary.ClassStats t = testbed.perClass().get(e.getKey());
            line(b, "| %s | %d | %s | %s | %s | %s |", e.getKey(), e.getValue().count(),
                    fmt(e.getValue().meanLatencyS(), "%.3f"), t == null ? "-" : fmt(t.meanLatencyS(), "%.3f"),
                    fmt(e.getValue().meanSlowdown(), "%.2f"), t == null ? "-" : fmt(t.meanSlowdown(), "%.2f"));
        }
        line(b, "");
        line(b, "## Pipeline");
        line(b, "");
        line(b, "- produced %d, completed %d, rejected %d%s, dead-lettered %d, **lost %d** (accepted prompts without "
                        + "exactly one terminal record, matched by prompt id on the topics)", p.produced(), p.completed(),
                p.rejected(), p.rejectedBy().isEmpty() ? "" : " " + new TreeMap<>(p.rejectedBy()), p.deadLettered(),
                p.lost());
        line(b, "- attempts a server handed back or failed (each re-routed, or ended its prompt): %s",
                p.unansweredBy().isEmpty() ? "none" : new TreeMap<>(p.unansweredBy()).toString());
        line(b, "- scheduling overhead (wall ms from a prompt's produce timestamp to its arrival at a server): p50 %s, "
                + "**p99 %s** (commit interval %d ms); of which to the scheduler's routing decision (before its commit) "
                + "p99 %s", fmt(p.schedulingOverheadP50Ms(), "%.1f"), fmt(p.schedulingOverheadP99Ms(), "%.1f"),
                p.commitIntervalMs(), fmt(p.routingP99Ms(), "%.1f"));
        line(b, "- peak resident memory: lab JVM %s MiB, broker %s MiB, **total %s MiB**",
                fmt(mib(r.memory().labJvmPeakBytes()), "%.0f"), fmt(mib(r.memory().brokerPeakBytes()), "%.0f"),
                fmt(mib(r.memory().totalBytes()), "%.0f"));
        Invariants i = r.invariants();
        line(b, "- **invariants %s**, from the topics: %d prompt records (warm-up included), %d accepted, %d "
                        + "dead-lettered; %d accepted without a terminal record, %d with several, %d terminal records "
                        + "without a prompt, %d accepted twice, %d commands applied twice%s", i.holds() ? "hold" : "broken",
                i.prompts(), i.accepted(), i.deadLettered(), i.withoutTerminal(), i.withSeveralTerminals(),
                i.terminalsWithoutPrompt(), i.acceptedTwice(), i.commandsAppliedTwice(),
                i.examples().isEmpty() ? "" : " (" + String.join("; ", i.examples()) + ")");
        if (!r.faults().isEmpty()) {
            line(b, "");
            line(b, "## Faults");
            line(b, "");
            line(b, "Recovery: from the fault until the 30-s rolling mean latency is within 20 % of its settled level "
                    + "(city s 180–360 after the fault) and stays there 30 s (DESIGN \"Evaluation\"); - when the run "
                    + "ends before the settled level is measured. The testbed ran the same server failures; the other "
                    + "faults have no counterpart there, so its figure at their time is what the workload alone reads "
                    + "as a recovery (a planned burst in the settled window makes it long).");
            line(b, "");
            line(b, "| fault | city s | recovery, s | testbed's, s | recovered | agent fallbacks | served over a cut link |");
            line(b, "|---|---:|---:|---:|---|---:|---:|");
            for (Lab.FaultOutcome f : r.faults()) {
                line(b, "| `%s` | %.0f | %s | %s | %s | %d | %s |", f.fault(), f.atSeconds(), fmt(f.recoverySeconds(), "%.0f"),
                        fmt(f.testbedRecoverySeconds(), "%.0f"),
                        Double.isFinite(f.recoverySeconds()) ? (f.recovered() ? "yes" : "no") : "-", f.agentFallbacks(),
                        f.servedOverCutLink() >= 0 ? Long.toString(f.servedOverCutLink()) : "-");
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, double lab, double bed, String format) {
        line(b, "| %s | %s | %s | %s |", name, fmt(lab, format), fmt(bed, format), fmt(lab / bed, "%.3f"));
    }

    private static String fmt(double x, String format) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, format, x) : "-";
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
    }
}
