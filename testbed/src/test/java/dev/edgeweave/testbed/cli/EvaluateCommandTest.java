package dev.edgeweave.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code edgeweave evaluate} end to end on bristol-7, one seed, two policies: what it writes, and how it
 * refuses bad input.
 */
class EvaluateCommandTest {

    private static final List<String> TOP_LEVEL = List.of("scenario", "scenarioSha256", "gitCommit", "seeds", "load",
            "prompts", "wallSeconds", "policies");
    private static final List<String> POLICY_KEYS = List.of("meanLatencyS", "p50LatencyS", "p95LatencyS",
            "p99LatencyS", "seedMeanLatencyS", "sloAttainment", "normalizedJainSlowdown", "normalizedJainLatency",
            "normalizedJainUsers", "completed", "rejected", "lost", "rerouted", "backlogAtEndS", "recoverySeconds",
            "perClass");

    @TempDir
    static Path out;
    private static Run evaluated;

    /** What one command line did. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs the command line as {@link Main#main} does, without its {@code System.exit}. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void evaluateTwoPolicies() {
        System.setProperty("java.awt.headless", "true");
        evaluated = run("evaluate", "--scenario", "bristol-7", "--seeds", "1", "--policies", "edgeweave,least-busy/static",
                "--no-csv", "--out", out.toString());
    }

    @Test
    void succeedsAndWritesTheSummaryTheReportAndItsCharts() throws IOException {
        assertEquals(0, evaluated.exitCode(), evaluated.err());
        for (String file : List.of("summary.json", "report.md", "latency.png", "class-slowdown.png")) {
            Path p = out.resolve(file);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, file + " written: " + evaluated.out());
        }
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".csv")), "--no-csv writes no CSV");
        }
        assertTrue(evaluated.out().contains("wrote " + out), evaluated.out());
    }

    @Test
    void theReportListsBothPolicies() throws IOException {
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("edgeweave"), md);
        assertTrue(md.contains("least-busy/static"), md);
        assertTrue(!md.contains("round-robin"), "only the policies asked for: " + md);
    }

    @Test
    void theSummaryHasExactlyTheDocumentedKeys() throws IOException {
        JsonNode root = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(TOP_LEVEL, fieldNames(root));
        assertEquals("bristol-7", root.get("scenario").asText());
        assertEquals(1, root.get("seeds").asInt());
        assertEquals(1.0, root.get("load").asDouble());
        assertTrue(root.get("scenarioSha256").asText().matches("[0-9a-f]{64}"), root.get("scenarioSha256").asText());

        JsonNode policies = root.get("policies");
        assertEquals(2, policies.size());
        assertEquals("edgeweave", policies.get(0).get("name").asText());
        assertEquals("least-busy/static", policies.get(1).get("name").asText());
        for (JsonNode p : policies) {
            List<String> keys = fieldNames(p);
            for (String key : POLICY_KEYS) {
                assertTrue(keys.contains(key), p.get("name") + " has " + key + ": " + keys);
            }
            assertEquals(root.get("prompts").asLong(), p.get("completed").asLong() + p.get("rejected").asLong()
                    + p.get("lost").asLong(), p.get("name") + ": every prompt of the seed is accounted for");
            assertEquals(0, p.get("lost").asLong(), p.get("name") + " lost prompts");
            assertTrue(p.get("perClass").size() >= 1, p.get("name") + " per class: " + p.get("perClass"));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("--policies", "edgeweave,least-bussy/static"),
                        "edgeweave: unknown policy 'least-bussy/static'; known: edgeweave, "),
                Arguments.of(List.of("--fail", "nonsense"),
                        "edgeweave: --fail takes NODE@SECONDS or NODE@SECONDS+DOWN, e.g. edge-3@900 or busiest@900+300; "
                                + "got 'nonsense'"),
                Arguments.of(List.of("--fail", "edge-99@900"),
                        "edgeweave: --fail names server 'edge-99', which scenario bristol-7 does not have"),
                Arguments.of(List.of("--fail", "edge-1@5000"),
                        "edgeweave: --fail at 5000.0 s is not before the end of bristol-7's workload (1800.0 s)"),
                Arguments.of(List.of("--fail", "busiest@900", "--shift", "900"),
                        "edgeweave: one event per evaluation: a --fail or a --shift"),
                Arguments.of(List.of("--scenario", "no/such/scenario.yaml"),
                        "edgeweave: no/such/scenario.yaml:0:0: cannot read the scenario file: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputFailsWithAMessageNamingIt(List<String> options, String message) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--seeds", "1", "--no-csv"));
        if (!options.contains("--policies")) {
            args.addAll(List.of("--policies", "edgeweave"));
        }
        args.addAll(options);
        args.addAll(List.of("--out", out.resolve("bad").toString()));
        Run r = run(args.toArray(String[]::new));
        assertNotEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().startsWith(message), "expected '" + message + "' in: " + r.err());
        assertTrue(!Files.exists(out.resolve("bad").resolve("summary.json")), "no summary for a failed run");
    }

    @Test
    void theLlmOptionsGoTogetherAndNameTheProvider() {
        Run r = run("evaluate", "--llm-base-url", "http://localhost:11434/v1");
        assertEquals(1, r.exitCode());
        assertEquals("edgeweave: --llm-base-url and --llm-model go together: name the server and the model",
                r.err().strip());
        r = run("evaluate", "--llm-base-url", "http://localhost:11434/v1", "--llm-model", "m", "--llm-provider", "gpt");
        assertEquals(1, r.exitCode());
        assertEquals("edgeweave: the LLM provider must be openai or ollama, was gpt", r.err().strip());
        r = run("evaluate", "--help");
        assertTrue(r.out().contains("--llm-base-url") && r.out().contains("--llm-model"), r.out());
    }
}
