package dev.edgeweave.testbed.scenario;

import static dev.edgeweave.testbed.scenario.TestScenarios.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of broken scenario is refused with a problem naming the file, the line and the field. Each case
 * breaks the valid {@link TestScenarios#MINIMAL} in one place, writes it to a file, and looks for the
 * problem: its field path, the line holding {@code needle}, and a fragment of its message.
 */
class ScenarioValidationTest {

    @TempDir
    Path dir;

    static Stream<Arguments> brokenFiles() {
        String gpuTypes = "gpuTypes:\n  - {id: tiny, memoryGB: 2, fp16Tflops: 10, bandwidthGBps: 50, source: test}\nmodels:";
        return Stream.of(
                // case, replace, with, field, needle (its line is expected), message fragment
                Arguments.of("missing field", "name: mini\n", "", "name", "duration:", "missing required field 'name'"),
                Arguments.of("missing nested field", ", radio: LTE}", "}", "city.accessPoints[1].radio",
                        "id: ap-2", "missing required field 'radio'"),
                Arguments.of("negative storage bandwidth", "storageGBps: 0.5", "storageGBps: -2",
                        "city.servers[0].storageGBps", "storageGBps: -2", "must be > 0"),
                Arguments.of("negative link bandwidth", "uplinkMbps: 40", "uplinkMbps: -40",
                        "city.links[0].uplinkMbps", "uplinkMbps: -40", "must be > 0"),
                Arguments.of("negative GPU memory", "models:",
                        gpuTypes.replace("memoryGB: 2", "memoryGB: -24"), "gpuTypes[0].memoryGB", "memoryGB: -24",
                        "must be > 0"),
                Arguments.of("unknown GPU", "gpus: [l4]", "gpus: [h200]", "city.servers[0].gpus[0]", "h200",
                        "unknown GPU type 'h200'"),
                Arguments.of("unknown model", "  - id: whisper-large-v3-turbo\n", "  - id: whisper-xl\n",
                        "models[2].id", "whisper-xl", "unknown model 'whisper-xl'"),
                Arguments.of("unknown variant base", "base: llama-3.2-3b-instruct", "base: llama-9",
                        "models[1].base", "llama-9", "unknown base model 'llama-9'"),
                Arguments.of("variant with a catalog id", "{id: chat-ft-01, base", "{id: sdxl, base",
                        "models[1].id", "{id: sdxl, base", "give the variant its own id"),
                Arguments.of("server at a missing site", "site: site-1, gpus", "site: site-9, gpus",
                        "city.servers[0].site", "site-9", "unknown site 'site-9'"),
                Arguments.of("link to a missing server", "to: edge-1", "to: edge-9", "city.links[0].to",
                        "edge-9", "link to unknown server 'edge-9'"),
                Arguments.of("link to a site", "to: edge-1", "to: site-1", "city.links[0].to", "to: site-1",
                        "(it is an edge site)"),
                Arguments.of("link from a missing access point", "from: ap-1", "from: ap-9", "city.links[0].from",
                        "ap-9", "link from unknown access point or server 'ap-9'"),
                Arguments.of("duplicate id", "{id: ap-2,", "{id: ap-1,", "city.accessPoints[1].id",
                        "{id: ap-1, lat: 51.46", "duplicate id 'ap-1'"),
                Arguments.of("class shares not summing to 1", "      share: 0.4\n", "      share: 0.3\n",
                        "workload.classes", "  classes:", "the class shares sum to 0.9, not 1"),
                Arguments.of("model shares not summing to 1", "{id: chat-ft-01, share: 0.5}",
                        "{id: chat-ft-01, share: 0.6}", "workload.classes.CHAT.models", "      models:",
                        "the model shares of class CHAT sum to 1.1, not 1"),
                Arguments.of("post-shift shares not summing to 1", "SPEECH_RECOGNITION: 0.8}",
                        "SPEECH_RECOGNITION: 0.7}", "workload.shift.classShares", "classShares:", "the post-shift class shares sum to 0.9, not 1"),
                Arguments.of("served model without a share", "        - {id: llama-3.2-3b-instruct, share: 0.5}\n"
                                + "        - {id: chat-ft-01, share: 0.5}\n",
                        "        - {id: llama-3.2-3b-instruct, share: 1.0}\n", "models[1].id", "{id: chat-ft-01, base",
                        "has no share"),
                Arguments.of("model under the wrong class", "{id: whisper-large-v3-turbo, share: 1.0}",
                        "{id: chat-ft-01, share: 1.0}", "workload.classes.SPEECH_RECOGNITION.models[0].id",
                        "{id: chat-ft-01, share: 1.0}", "is CHAT, not SPEECH_RECOGNITION"),
                Arguments.of("unknown field (typo)", "accessPointZipf:", "accessPointZip:", "users.accessPointZip",
                        "accessPointZip:", "unknown field 'accessPointZip'"),
                Arguments.of("wrong type", "count: 100", "count: many", "users.count", "count: many",
                        "expected a number"),
                Arguments.of("latitude out of range", "lat: 51.46", "lat: 151.46", "city.accessPoints[1].lat",
                        "151.46", "lat must be in [-90, 90]"),
                Arguments.of("unknown radio", "radio: LTE", "radio: 6G", "city.accessPoints[1].radio", "6G",
                        "unknown RadioTech '6G'"),
                Arguments.of("missing SLO", "  SPEECH_RECOGNITION: 6\n", "", "slo.SPEECH_RECOGNITION", "slo:",
                        "missing SLO for class SPEECH_RECOGNITION"),
                Arguments.of("non-positive SLO", "CHAT: 6", "CHAT: -1", "slo.CHAT", "CHAT: -1", "must be > 0"),
                Arguments.of("unknown class", "    CHAT:\n      share: 0.6", "    CHATS:\n      share: 0.6",
                        "workload.classes.CHATS", "    CHATS:", "unknown model class 'CHATS'"),
                Arguments.of("capacity fraction above 1", "capacityFraction: 0.7", "capacityFraction: 1.5",
                        "loadReference.capacityFraction", "1.5", "must be in (0, 1]"),
                Arguments.of("size above the model's limit", "max: 300}", "max: 4000}",
                        "workload.classes.SPEECH_RECOGNITION.sizes.audioSeconds", "max: 4000",
                        "values up to 4000 exceed the limit 1800 of model 'whisper-large-v3-turbo'"),
                Arguments.of("unbounded size", ", min: 1, max: 300}", ", min: 1}",
                        "workload.classes.SPEECH_RECOGNITION.sizes.audioSeconds", "lognormal", "is unbounded but model 'whisper-large-v3-turbo' accepts at most 1800"),
                Arguments.of("negative size", "median: 8, sigma: 0.9}, min: 1", "median: 8, sigma: 0.9}, min: -1",
                        "workload.classes.SPEECH_RECOGNITION.sizes.audioSeconds.min", "min: -1", "cannot be negative"),
                Arguments.of("size a class does not use", "      sizes:\n", "      sizes:\n        steps: 4\n",
                        "workload.classes.SPEECH_RECOGNITION.sizes.steps", "steps: 4",
                        "SPEECH_RECOGNITION have no steps"),
                Arguments.of("chat sizes given", "        - {id: chat-ft-01, share: 0.5}\n",
                        "        - {id: chat-ft-01, share: 0.5}\n      sizes:\n        inputTokens: 5\n",
                        "workload.classes.CHAT.sizes", "      sizes:", "chat sizes come from the trace"),
                Arguments.of("burst at an unknown access point", "accessPoints: [ap-2]", "accessPoints: [ap-7]",
                        "workload.bursts[0].accessPoints[0]", "ap-7", "unknown access point 'ap-7'"),
                Arguments.of("burst after the end", "{start: 100,", "{start: 900,", "workload.bursts[0].start",
                        "start: 900", "after the scenario ends"),
                Arguments.of("both seconds and prompts", "  seconds: 600\n", "  seconds: 600\n  prompts: 10\n",
                        "duration", "duration:", "exactly one of"),
                Arguments.of("replay with a prompt count", "  seconds: 600\n", "  prompts: 10\n",
                        "workload.chat.mode", "mode: replay", "needs chat mode resample"),
                Arguments.of("model too large for every GPU", "models:", gpuTypes, "models[0].id",
                        "- id: llama-3.2-3b-instruct", "no server can serve it"),
                Arguments.of("not YAML", "  sites:\n", "  sites: [\n", "", "sites: [", "not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void eachProblemNamesFileLineAndField(String name, String from, String to, String field, String needle,
                                          String fragment) {
        String yaml = TestScenarios.replace(MINIMAL, from, to);
        if (name.equals("replay with a prompt count")) {
            yaml = TestScenarios.replace(yaml, "mode: resample", "mode: replay");
        }
        if (name.equals("model too large for every GPU")) {
            yaml = TestScenarios.replace(yaml, "gpus: [l4]", "gpus: [tiny]");
        }
        Path file = TestScenarios.write(dir, "broken", yaml);
        int line = TestScenarios.lineOf(yaml, needle);

        ScenarioException e = assertThrows(ScenarioException.class, () -> new ScenarioLoader(dir).load(file));

        ScenarioException.Problem match = e.problems().stream()
                .filter(p -> p.field().equals(field) && p.message().contains(fragment))
                .findFirst()
                .orElseGet(() -> fail("no problem at field '" + field + "' saying '" + fragment + "' in:\n"
                        + e.getMessage()));
        assertEquals(file.toString(), match.source(), "file");
        if (name.equals("not YAML")) {
            assertTrue(match.line() >= line, "a syntax error is reported at or after the broken line: " + match);
        } else {
            assertEquals(line, match.line(), "line of " + match);
        }
        assertTrue(e.getMessage().contains(file + ":" + match.line() + ":"), e.getMessage());
    }

    @Test
    void theMinimalScenarioIsValid() {
        Scenario s = new ScenarioLoader(dir).parse(MINIMAL, "mini.yaml");
        assertEquals("mini", s.name());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        String yaml = TestScenarios.replace(TestScenarios.replace(MINIMAL, "gpus: [l4]", "gpus: [h200]"),
                "count: 100", "count: -5");
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> new ScenarioLoader(dir).parse(yaml, "two.yaml"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("2 problems in scenario two.yaml:"), e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> new ScenarioLoader(dir).parse("# nothing\n", "empty.yaml"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aMissingFileIsAnError() {
        Path missing = dir.resolve("nope.yaml");
        ScenarioException e = assertThrows(ScenarioException.class, () -> new ScenarioLoader(dir).load(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    @Test
    void duplicateKeysAreAnError() {
        String yaml = TestScenarios.replace(MINIMAL, "name: mini\n", "name: mini\nname: again\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> new ScenarioLoader(dir).parse(yaml, "d.yaml"));
        assertEquals(2, e.first().line());
        assertEquals("name", e.first().field());
    }
}
