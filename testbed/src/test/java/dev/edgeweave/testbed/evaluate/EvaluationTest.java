package dev.edgeweave.testbed.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.engine.Policies;
import dev.edgeweave.testbed.engine.PolicySpec;
import dev.edgeweave.testbed.engine.RunResult;
import dev.edgeweave.testbed.report.PolicySummary;
import dev.edgeweave.testbed.report.Summaries;
import dev.edgeweave.testbed.report.SummaryHeader;
import dev.edgeweave.testbed.report.SummaryJson;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every policy on the bundled bristol-7 scenario, one seed (30 min of city time, a few seconds of wall time
 * for all 19 rows): the accounting every report rests on, and that a run is a function of its seed.
 *
 * <p>The scenario's chat trace is {@code testbed/traces/...} relative to the repository root, which the
 * loader finds upwards from the working directory (the module directory under Surefire).
 */
class EvaluationTest {

    private static final String SCENARIO = "bristol-7";
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static Evaluation evaluation;

    @BeforeAll
    static void loadTheScenario() {
        evaluation = newEvaluation();
    }

    private static Evaluation newEvaluation() {
        Scenario scenario = new ScenarioLoader().load(SCENARIO);
        return new Evaluation(scenario, WorkloadGenerator.forScenario(scenario, Optional.empty()));
    }

    private static EvaluationOptions options(List<PolicySpec> policies, List<FailureEvent> failures) {
        return new EvaluationOptions(SCENARIO, 1, policies, Optional.empty(), 1.0, failures, OptionalDouble.empty(),
                THREADS);
    }

    @ParameterizedTest(name = "failures: ''{0}''")
    @ValueSource(strings = {"", "busiest@900"})
    void everyPolicyEndsEveryPromptWithExactlyOneTerminalRecord(String fail) {
        List<FailureEvent> failures = fail.isEmpty() ? List.of() : List.of(FailureEvent.parse(fail));
        Map<String, List<RunResult>> results = evaluation.run(options(Policies.parse("all"), failures), done -> { });

        assertEquals(Policies.names(), List.copyOf(results.keySet()));
        int prompts = results.get(Policies.EDGEWEAVE).get(0).size();
        assertTrue(prompts > 1000, "30 min of bristol-7 has thousands of prompts, was " + prompts);
        for (Map.Entry<String, List<RunResult>> e : results.entrySet()) {
            assertEquals(1, e.getValue().size(), e.getKey() + ": one seed");
            RunResult r = e.getValue().get(0);
            assertEquals(prompts, r.size(), e.getKey() + " sees the same workload");
            int wrong = 0;
            int first = -1;
            for (int i = 0; i < r.size(); i++) {
                if (r.terminalRecords()[i] != 1) {
                    wrong++;
                    first = first < 0 ? i : first;
                }
            }
            assertEquals(0, wrong, e.getKey() + ": prompts without exactly one terminal record, the first #" + first
                    + (first < 0 ? "" : " with " + r.terminalRecords()[first]));
            assertEquals(fail.isEmpty() ? Double.NaN : 900.0, r.eventSeconds(), e.getKey() + ": the failure's time");
        }
    }

    @Test
    void twoEvaluationsOfTheSameSeedWriteTheSameSummary(@TempDir Path dir) throws IOException {
        List<PolicySpec> policies = Policies.parse("edgeweave,round-robin/static");
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        List<RunResult> firstRuns = summarise(newEvaluation(), policies, first);
        List<RunResult> secondRuns = summarise(newEvaluation(), policies, second);

        for (int p = 0; p < firstRuns.size(); p++) {
            assertArrayEquals(firstRuns.get(p).latency(), secondRuns.get(p).latency(), firstRuns.get(p).policy());
            assertArrayEquals(firstRuns.get(p).server(), secondRuns.get(p).server(), firstRuns.get(p).policy());
        }
        List<String> a = withoutWallTime(first);
        List<String> b = withoutWallTime(second);
        assertTrue(a.size() > 50, "a summary of two policies: " + a);
        assertEquals(a, b);
        assertTrue(a.stream().anyMatch(l -> l.contains("\"name\" : \"round-robin/static\"")), String.join("\n", a));
    }

    /** Runs {@code policies} on seed 1 and writes summary.json; returns the runs in policy order. */
    private static List<RunResult> summarise(Evaluation ev, List<PolicySpec> policies, Path file) throws IOException {
        long start = System.nanoTime();
        Map<String, List<RunResult>> results = ev.run(options(policies, List.of()), done -> { });
        List<ModelClass> classOfModel = ev.setup().models().stream().map(ModelSpec::modelClass).toList();
        List<PolicySummary> rows = new ArrayList<>();
        List<RunResult> runs = new ArrayList<>();
        results.forEach((name, rs) -> {
            rows.add(Summaries.of(name, rs, classOfModel));
            runs.add(rs.get(0));
        });
        SummaryHeader header = new SummaryHeader(SCENARIO, "sha", "commit", 1, 1.0, runs.get(0).size(),
                (System.nanoTime() - start) / 1e9);
        SummaryJson.write(file, header, rows);
        return runs;
    }

    private static List<String> withoutWallTime(Path summary) throws IOException {
        List<String> lines = Files.readAllLines(summary);
        assertEquals(1, lines.stream().filter(l -> l.contains("\"wallSeconds\"")).count(), "one wallSeconds line");
        return lines.stream().filter(l -> !l.contains("\"wallSeconds\"")).toList();
    }

    @Test
    void theReferenceRateIsSeventyPercentOfTheStaticPlacementsCapacity() {
        double capacity = evaluation.setup().capacity();
        assertTrue(capacity > 0 && Double.isFinite(capacity), "capacity " + capacity);
        assertEquals(0.7, evaluation.scenario().loadReference().capacityFraction());
        assertEquals(0.7 * capacity, evaluation.referenceRate(), 1e-12 * capacity);
    }
}
