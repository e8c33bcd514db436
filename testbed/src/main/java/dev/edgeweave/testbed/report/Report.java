package dev.edgeweave.testbed.report;

import dev.edgeweave.testbed.engine.Policies;
import dev.edgeweave.testbed.engine.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes an evaluation's human-readable report into a directory: {@code report.md} with the scenario, the run's
 * parameters, a table of every policy and the charts, each chart a PNG beside it linked relatively, so the
 * directory can be moved or published as it is.
 *
 * <ul>
 *   <li>{@code latency.png}: mean and p95 latency per policy, sorted by mean;</li>
 *   <li>{@code class-slowdown.png}: each class's mean slowdown per policy;</li>
 *   <li>{@code timeline.png}: 30-s rolling mean latency over arrival time on seed 1, for edgeweave, the best
 *       baseline (lowest mean latency among the non-edgeweave rows) and round-robin/static, with a marker at
 *       the event; only when seed-1 runs are given;</li>
 *   <li>{@code sweep.png}: mean latency against load for every policy; only when a sweep is given.</li>
 * </ul>
 */
public final class Report {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static final String REPORT = "report.md";
    public static final String LATENCY_PNG = "latency.png";
    public static final String CLASS_SLOWDOWN_PNG = "class-slowdown.png";
    public static final String TIMELINE_PNG = "timeline.png";
    public static final String SWEEP_PNG = "sweep.png";
    /** The baseline the timeline always shows beside edgeweave: the simplest production router. */
    public static final String ROUND_ROBIN = "round-robin/static";

    private Report() {
    }

    /**
     * Writes {@code report.md} and its charts into {@code dir} (created when missing), replacing earlier ones.
     *
     * @return the files written, {@code report.md} first
     */
    public static List<Path> write(Path dir, ReportInput in) throws IOException {
        Objects.requireNonNull(in, "in");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        List<String> charts = new ArrayList<>();
        if (!in.policies().isEmpty()) {
            Charts.save(Charts.latency(in.policies()), dir.resolve(LATENCY_PNG), Charts.WIDTH,
                    Charts.barChartHeight(in.policies().size(), 2));
            written.add(dir.resolve(LATENCY_PNG));
            charts.add(section("Latency", "Mean and 95th-percentile latency per policy, best mean first.",
                    LATENCY_PNG));
            int classes = (int) in.policies().stream().flatMap(p -> p.perClass().keySet().stream()).distinct()
                    .count();
            Charts.save(Charts.classSlowdown(in.policies()), dir.resolve(CLASS_SLOWDOWN_PNG), Charts.WIDTH,
                    Charts.barChartHeight(in.policies().size(), Math.max(1, classes)));
            written.add(dir.resolve(CLASS_SLOWDOWN_PNG));
            charts.add(section("Slowdown per class", "Each class's mean slowdown per policy: fair service keeps "
                    + "the bars of one policy level.", CLASS_SLOWDOWN_PNG));
        }
        List<RunResult> timeline = timelineRuns(in.policies(), in.seedOne());
        if (!timeline.isEmpty()) {
            double event = timeline.get(0).eventSeconds();
            Charts.save(Charts.timeline(timeline, event), dir.resolve(TIMELINE_PNG), Charts.WIDTH, 600);
            written.add(dir.resolve(TIMELINE_PNG));
            charts.add(section("Timeline", "30-second rolling mean latency by arrival time, seed 1"
                    + (Double.isNaN(event) ? "." : String.format(Locale.ROOT,
                    "; the dashed line marks the event at %.0f s.", event)), TIMELINE_PNG));
        }
        if (in.sweep() != null && !in.sweep().meanLatencyS().isEmpty()) {
            Charts.save(Charts.sweep(in.sweep()), dir.resolve(SWEEP_PNG), Charts.WIDTH, 750);
            written.add(dir.resolve(SWEEP_PNG));
            charts.add(section("Load sweep", "Mean latency against load, every policy (log scale).", SWEEP_PNG));
        }

        StringBuilder md = new StringBuilder();
        md.append("# Evaluation: ").append(in.scenario()).append("\n\n");
        if (!in.parameters().isBlank()) {
            md.append(in.parameters().strip()).append("\n\n");
        }
        md.append("## Policies\n\n").append(markdownTable(in.policies())).append('\n');
        md.append(NOTES).append('\n');
        if (!in.policies().isEmpty()) {
            md.append("## Slowdown per class\n\n").append(classTable(in.policies())).append('\n');
        }
        for (String c : charts) {
            md.append(c);
        }
        Path report = dir.resolve(REPORT);
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
        written.add(0, report);
        return written;
    }

    private static final String NOTES = """
            Latency counts a rejected prompt at its SLO, so rejecting is never cheaper than serving. \
            Percentiles are nearest-rank over every prompt of every seed. \
            *NJ slowdown* is the Normalized Jain index over the classes' mean slowdowns (1 = every class served \
            equally well, 0 = one class gets everything). *Backlog* is how long the run kept finishing prompts \
            after the last arrival. *Recovery* is the time from the event until the 30-s rolling mean latency \
            stays within 20% of its settled level for 30 s; "≥" marks a run that never settled (the figure is a \
            lower bound), "–" a scenario without an event.
            """;

    /**
     * The policy table of {@code report.md}, also for a README: name, mean/p95/p99 latency, SLO attainment,
     * NJ slowdown, worst class slowdown, rejected %, lost, backlog, recovery.
     */
    public static String markdownTable(List<PolicySummary> policies) {
        StringBuilder sb = new StringBuilder();
        sb.append("| policy | mean (s) | p95 (s) | p99 (s) | SLO attainment | NJ slowdown | worst class slowdown "
                + "| rejected | lost | backlog (s) | recovery (s) |\n");
        sb.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (PolicySummary p : policies) {
            sb.append("| ").append(p.name().equals(Policies.EDGEWEAVE) ? "**" + p.name() + "**" : p.name())
                    .append(" | ").append(num(p.meanLatencyS()))
                    .append(" | ").append(num(p.p95LatencyS()))
                    .append(" | ").append(num(p.p99LatencyS()))
                    .append(" | ").append(percent(p.sloAttainment()))
                    .append(" | ").append(fixed(p.normalizedJainSlowdown(), 3))
                    .append(" | ").append(num(p.worstClassMeanSlowdown()))
                    .append(p.worstClass() == null ? "" : " (" + Charts.label(p.worstClass()) + ")")
                    .append(" | ").append(percent(p.rejectionRate()))
                    .append(" | ").append(p.lost())
                    .append(" | ").append(num(p.backlogAtEndS()))
                    .append(" | ").append(recovery(p))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String classTable(List<PolicySummary> policies) {
        List<String> classes = new ArrayList<>();
        for (PolicySummary p : policies) {
            for (String c : p.perClass().keySet()) {
                if (!classes.contains(c)) {
                    classes.add(c);
                }
            }
        }
        StringBuilder sb = new StringBuilder("| policy |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String c : classes) {
            sb.append(' ').append(Charts.label(c)).append(" |");
            rule.append("--:|");
        }
        sb.append(" NJ latency | NJ users |\n").append(rule).append("--:|--:|\n");
        for (PolicySummary p : policies) {
            sb.append("| ").append(p.name()).append(" |");
            for (String c : classes) {
                PolicySummary.ClassStats s = p.perClass().get(c);
                sb.append(' ').append(s == null ? "–" : num(s.meanSlowdown())).append(" |");
            }
            sb.append(' ').append(fixed(p.normalizedJainLatency(), 3)).append(" | ")
                    .append(fixed(p.normalizedJainUsers(), 3)).append(" |\n");
        }
        return sb.toString();
    }

    /** edgeweave, the best non-edgeweave row by mean latency, round-robin/static: those of them run on seed 1. */
    static List<RunResult> timelineRuns(List<PolicySummary> policies, List<RunResult> seedOne) {
        List<String> wanted = new ArrayList<>();
        wanted.add(Policies.EDGEWEAVE);
        policies.stream()
                .filter(p -> !p.name().startsWith(Policies.EDGEWEAVE) && !Double.isNaN(p.meanLatencyS()))
                .min((a, b) -> Double.compare(a.meanLatencyS(), b.meanLatencyS()))
                .ifPresent(p -> wanted.add(p.name()));
        if (!wanted.contains(ROUND_ROBIN)) {
            wanted.add(ROUND_ROBIN);
        }
        List<RunResult> out = new ArrayList<>();
        for (String name : wanted) {
            Optional<RunResult> run = seedOne.stream().filter(r -> r.policy().equals(name)).findFirst();
            run.ifPresent(out::add);
        }
        return out;
    }

    private static String section(String title, String caption, String png) {
        return "## " + title + "\n\n" + caption + "\n\n![" + title + "](" + png + ")\n\n";
    }

    private static String recovery(PolicySummary p) {
        if (p.recoverySeconds() == null) {
            return "–";
        }
        String value = String.format(Locale.ROOT, "%.0f", p.recoverySeconds());
        return Boolean.FALSE.equals(p.recovered()) ? "≥ " + value : value;
    }

    /** Three significant digits, at least: 0.0123, 1.23, 12.3, 1234. */
    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
