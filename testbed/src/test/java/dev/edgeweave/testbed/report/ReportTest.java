package dev.edgeweave.testbed.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.testbed.engine.Policies;
import dev.edgeweave.testbed.engine.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final String[] CLASSES = {"CHAT", "VISION_LANGUAGE", "IMAGE_GENERATION", "SPEECH_RECOGNITION",
        "SPEECH_SYNTHESIS"};

    /** Plausible-looking summaries for every policy of the evaluation, from a fixed random seed. */
    static List<PolicySummary> everyPolicy() {
        Random random = new Random(7);
        List<PolicySummary> out = new ArrayList<>();
        for (String name : Policies.names()) {
            boolean ours = name.startsWith(Policies.EDGEWEAVE);
            double scale = ours ? 1 + random.nextDouble() * 0.5 : 2 + random.nextDouble() * (name.endsWith(
                    "/ondemand") ? 60 : 12);
            Map<String, PolicySummary.ClassStats> perClass = new LinkedHashMap<>();
            double worst = 0;
            String worstClass = null;
            for (int c = 0; c < CLASSES.length; c++) {
                double slowdown = scale * (ours ? 1 + 0.3 * random.nextDouble() : 0.5 + 2 * random.nextDouble());
                perClass.put(CLASSES[c], new PolicySummary.ClassStats(slowdown * (0.3 + c), slowdown, 1000));
                if (slowdown > worst) {
                    worst = slowdown;
                    worstClass = CLASSES[c];
                }
            }
            double mean = 0.8 * scale;
            out.add(new PolicySummary(name, mean, mean * 0.7, mean * 3.2, mean * 5.1, List.of(mean, mean * 1.02),
                    ours ? 0.97 : 0.6 + 0.3 * random.nextDouble(), ours ? 0.93 : 0.5 + 0.3 * random.nextDouble(),
                    0.8, 0.9, 9500, 500, 0, 12, ours ? 3 : 40, ours ? 45.0 : 300.0, perClass, worstClass, worst,
                    0.05, !name.endsWith("/ondemand"), 2, 10_000, ours ? 90 : 0, 0));
        }
        return out;
    }

    /** One prompt a second for 1200 s, an event at 600 s after which latency jumps and decays at {@code tau}. */
    static RunResult timelineRun(String policy, double base, double jump, double tau, long seed) {
        Random random = new Random(seed);
        RunResultFixture f = RunResultFixture.run(policy, 1).event(600);
        for (int i = 0; i < 1200; i++) {
            double excess = i < 600 ? 0 : jump * Math.exp(-(i - 600) / tau);
            double latency = (base + excess) * (0.6 + 0.8 * random.nextDouble());
            f.completed(i, 0, i % 10, latency, 0.5, 30);
        }
        return f.build();
    }

    static ReportInput input() {
        List<PolicySummary> policies = everyPolicy();
        String best = policies.stream().filter(p -> !p.name().startsWith("edgeweave"))
                .min((a, b) -> Double.compare(a.meanLatencyS(), b.meanLatencyS())).orElseThrow().name();
        List<RunResult> seedOne = List.of(
                timelineRun(Report.ROUND_ROBIN, 3, 25, 200, 1),
                timelineRun(Policies.EDGEWEAVE, 1, 6, 25, 2),
                timelineRun(best, 2, 12, 80, 3),
                timelineRun("random/static", 5, 30, 300, 4));
        double[] loads = {0.5, 0.75, 1.0, 1.25, 1.5};
        Map<String, double[]> sweep = new LinkedHashMap<>();
        for (PolicySummary p : policies) {
            double m = p.meanLatencyS();
            sweep.put(p.name(), Arrays.stream(loads).map(l -> m * Math.pow(l, 1 + 6 * (l - 0.5) * (m / 20)))
                    .toArray());
        }
        return new ReportInput("bristol-7", "- seeds: 2 (1…2)\n- load: 1.0\n- scenario sha256: `ab12`",
                policies, seedOne, new ReportInput.Sweep(loads, sweep));
    }

    @Test
    void writesTheReportAndEveryChart(@TempDir Path dir) throws IOException {
        ReportInput in = input();
        List<Path> written = Report.write(dir, in);

        assertEquals(List.of("report.md", "latency.png", "class-slowdown.png", "timeline.png", "sweep.png"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        for (Path png : written.subList(1, written.size())) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
            assertArrayEquals(PNG_MAGIC, head, png + " is a PNG");
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.startsWith("# Evaluation: bristol-7\n"), md);
        assertTrue(md.contains("- load: 1.0"), "the caller's parameters are in the report");
        for (PolicySummary p : in.policies()) {
            assertTrue(md.contains("| " + p.name() + " |") || md.contains("| **" + p.name() + "** |"),
                    "the table lists " + p.name());
        }
        for (String png : List.of("latency.png", "class-slowdown.png", "timeline.png", "sweep.png")) {
            assertTrue(md.contains("](" + png + ")"), "report.md links " + png + " relatively");
        }
    }

    @Test
    void withoutSeedOneRunsOrSweepThereIsNoTimelineOrSweep(@TempDir Path dir) throws IOException {
        ReportInput in = new ReportInput("tiny", "", everyPolicy().subList(0, 2), List.of());
        List<Path> written = Report.write(dir, in);
        assertEquals(List.of("report.md", "latency.png", "class-slowdown.png"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        assertTrue(Files.notExists(dir.resolve("timeline.png")));
    }

    @Test
    void theTableShowsOneRowPerPolicyWithItsFigures() {
        PolicySummary never = SummaryJsonTest.summary("least-busy/ondemand", 12.345, 250.0, false);
        PolicySummary none = SummaryJsonTest.summary("nearest/static", 0.5, null, null);
        String table = Report.markdownTable(List.of(never, none));
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[0].contains("| policy | mean (s) | p95 (s) | p99 (s) | SLO attainment | NJ slowdown"),
                lines[0]);
        assertEquals("| least-busy/ondemand | 12.3 | 37.0 | 49.4 | 95.0% | 0.875 | 3.25 (image-generation) "
                + "| 5.0% | 0 | 2.50 | ≥ 250 |", lines[2]);
        assertTrue(lines[3].endsWith("| – |"), "no event: no recovery: " + lines[3]);
    }

    @Test
    void theTimelineShowsEdgeweaveTheBestBaselineAndRoundRobin() {
        ReportInput in = input();
        List<String> shown = Report.timelineRuns(in.policies(), in.seedOne()).stream().map(RunResult::policy)
                .toList();
        String best = in.policies().stream().filter(p -> !p.name().startsWith("edgeweave"))
                .min((a, b) -> Double.compare(a.meanLatencyS(), b.meanLatencyS())).orElseThrow().name();
        assertEquals(List.of(Policies.EDGEWEAVE, best, Report.ROUND_ROBIN), shown);
    }

    /**
     * Renders the full report into {@code target/report-preview/} so that a person can look at the charts; the
     * assertions only check that they are there.
     */
    @Test
    void previewForAPerson() throws IOException {
        Path dir = Path.of("target", "report-preview");
        List<Path> written = Report.write(dir, input());
        for (Path p : written) {
            assertTrue(Files.size(p) > 1000, p + " has content");
        }
    }
}
