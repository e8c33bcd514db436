package dev.edgeweave.testbed.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.testbed.scenario.Burst;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.scenario.TestScenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadGeneratorTest {

    private static final ScenarioLoader LOADER = new ScenarioLoader();
    private static Scenario bristol;
    private static WorkloadGenerator bristolGenerator;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadBristol() {
        bristol = LOADER.loadBuiltIn("bristol-7");
        bristolGenerator = WorkloadGenerator.forScenario(bristol);
    }

    /** The minimal scenario (chat resampled, one burst) over {@code seconds}. */
    private static Scenario mini(double seconds) {
        return LOADER.parse(TestScenarios.MINIMAL.replace("seconds: 600", "seconds: " + seconds), "mini.yaml");
    }

    /** Only chat, replayed from {@code trace} from its first row. */
    private static Scenario chatOnly(Path trace, double seconds) {
        return LOADER.parse("""
                name: chat-only
                duration: {seconds: %s}
                city:
                  accessPoints: [{id: ap-1, lat: 51.45, lon: -2.59, radio: NR_SA}]
                  sites: [{id: site-1, lat: 51.45, lon: -2.58}]
                  servers: [{id: edge-1, site: site-1, gpus: [l4]}]
                models: [llama-3.2-3b-instruct]
                slo: {CHAT: 6}
                loadReference: {capacityFraction: 0.7}
                users: {count: 10, accessPointZipf: 0}
                workload:
                  chat: {mode: replay, trace: '%s'}
                  classes:
                    CHAT: {share: 1.0, models: [{id: llama-3.2-3b-instruct, share: 1.0}]}
                """.formatted(seconds, trace), "chat-only.yaml");
    }

    // ---- determinism and shape ---------------------------------------------------------------------------

    @Test
    void theSameSeedGivesTheIdenticalStreamAndAnotherSeedAnother() {
        WorkloadOptions options = WorkloadOptions.of(7, 12.0);
        Workload a = bristolGenerator.generate(options);
        Workload b = WorkloadGenerator.forScenario(bristol).generate(options);
        assertSameStream(a, b);

        Workload c = bristolGenerator.generate(WorkloadOptions.of(8, 12.0));
        boolean differs = a.size() != c.size();
        for (int i = 0; i < Math.min(a.size(), c.size()) && !differs; i++) {
            differs = a.timeSeconds(i) != c.timeSeconds(i) || a.user(i) != c.user(i);
        }
        assertTrue(differs, "another seed: another stream");
    }

    @Test
    void promptsAreSortedInsideTheHorizonAndWithinTheirModelsLimits() {
        Workload w = bristolGenerator.generate(WorkloadOptions.of(1, 12.0));
        assertTrue(w.size() > 10_000);
        assertEquals(1800.0, w.endSeconds());
        double previous = 0;
        for (int i = 0; i < w.size(); i++) {
            double t = w.timeSeconds(i);
            assertTrue(t >= previous && t < w.endSeconds(), "prompt " + i + " at " + t);
            previous = t;
            PromptSize size = w.size(i);
            assertEquals(List.of(), w.model(i).limits().violations(size), w.modelId(i) + " " + size);
            assertTrue(w.user(i) >= 0 && w.user(i) < w.users());
            assertEquals(bristol.sloSeconds(w.modelClass(i)), w.sloSeconds(i));
        }
        assertEquals(bristol.city().accessPoints().size(), w.accessPointIds().size());
    }

    // ---- rates and mix ---------------------------------------------------------------------------------------

    @Test
    void poissonRateAndClassAndModelMixMatchTheScenario() {
        Scenario s = mini(3600);
        Workload w = WorkloadGenerator.forScenario(s).generate(WorkloadOptions.of(3, 20.0));

        double expected = 20.0 * 3600 + (3 - 1) * 0.4 * 20.0 * 60;  // base + the speech burst's extra
        assertEquals(expected, w.size(), 0.03 * expected);
        Map<ModelClass, Integer> byClass = w.countsByClass();
        int chat = byClass.get(ModelClass.CHAT);
        assertEquals(0.6 * 20 * 3600, chat, 0.03 * 0.6 * 20 * 3600);
        int[] byModel = w.countsByModel();
        assertEquals(0.5, byModel[0] / (double) chat, 0.01, "chat models split 50/50");
        assertTrue(Double.isNaN(w.chatTimeCompression()), "resampled chat has no compression");
    }

    @Test
    void bristol7ClassCountsMatchTheirRatesWithBursts() {
        double rate = 20.0;
        Workload w = bristolGenerator.generate(WorkloadOptions.of(1, rate));
        Map<ModelClass, Integer> counts = w.countsByClass();
        for (ModelClass mc : ModelClass.values()) {
            double classRate = rate * bristol.workload().share(mc);
            double expected = mc == ModelClass.CHAT ? 0 : classRate * 1800;
            for (Burst b : bristol.workload().bursts()) {
                if (b.classes().contains(mc)) {
                    expected += (b.factor() - 1) * classRate * b.durationSeconds();
                }
            }
            if (mc == ModelClass.CHAT) {
                // The replay keeps the trace's own (non-stationary) rate: compare to the mean loosely.
                expected += classRate * 1800;
                assertEquals(expected, counts.get(mc), 0.25 * expected, mc.name());
            } else {
                assertEquals(expected, counts.get(mc), 0.05 * expected, mc.name());
            }
        }
        assertEquals(rate * 0.40 / bristolGenerator.trace().meanRatePerSecond(), w.chatTimeCompression(), 1e-12);
    }

    @Test
    void burstsAddTheirExtraArrivalsAtTheirAccessPointsInTheirWindow() {
        Workload w = WorkloadGenerator.forScenario(mini(600)).generate(WorkloadOptions.of(5, 20.0));
        int burst = 0;
        for (int i = 0; i < w.size(); i++) {
            if (w.origin(i) == Workload.Origin.BURST) {
                burst++;
                assertEquals("ap-2", w.accessPointId(i));
                assertEquals(ModelClass.SPEECH_RECOGNITION, w.modelClass(i));
                assertTrue(w.timeSeconds(i) >= 100 && w.timeSeconds(i) < 160);
            }
        }
        double expected = (3 - 1) * 0.4 * 20.0 * 60;
        assertEquals(expected, burst, 0.12 * expected);
    }

    // ---- load ------------------------------------------------------------------------------------------------

    @Test
    void loadScalesEveryRate() {
        WorkloadGenerator g = WorkloadGenerator.forScenario(mini(3600));
        Workload one = g.generate(WorkloadOptions.of(2, 10.0));
        Workload two = g.generate(WorkloadOptions.of(2, 10.0).withLoad(2.0));
        assertEquals(2.0, two.size() / (double) one.size(), 0.04);

        Workload replayOne = bristolGenerator.generate(WorkloadOptions.of(2, 10.0));
        Workload replayTwo = bristolGenerator.generate(WorkloadOptions.of(2, 10.0).withLoad(2.0));
        assertEquals(2 * replayOne.chatTimeCompression(), replayTwo.chatTimeCompression(), 1e-12);
        assertEquals(2.0, replayTwo.size() / (double) replayOne.size(), 0.3);
    }

    @Test
    void replayKeepsTheTracesRowsAndCompressesItsTimelineByTheLoad() {
        TraceReadResult trace = bristolGenerator.trace();
        double rate = 2 * trace.meanRatePerSecond();  // chat is all of it, so trace time runs 2x
        WorkloadGenerator g = WorkloadGenerator.forScenario(chatOnly(AzureTraceReaderTest.REAL_TRACE, 600));
        Workload one = g.generate(WorkloadOptions.of(1, rate));
        Workload two = g.generate(WorkloadOptions.of(1, rate).withLoad(2.0));

        assertEquals(2.0, one.chatTimeCompression(), 1e-9);
        for (int i = 0; i < one.size(); i++) {
            assertEquals(trace.offsetSeconds(i) / 2, one.timeSeconds(i), 1e-9);
            assertEquals(Math.min(8192, trace.contextTokens(i)), one.inputTokens(i));
            assertEquals(Math.max(1, trace.generatedTokens(i)), one.outputTokens(i));
            assertEquals(one.timeSeconds(i) / 2, two.timeSeconds(i), 1e-9, "load 2 halves every time");
            assertEquals(one.inputTokens(i), two.inputTokens(i));
            assertEquals(Workload.Origin.TRACE, one.origin(i));
        }
        assertEquals(IntStream.range(0, trace.rows()).filter(i -> trace.offsetSeconds(i) / 2 < 600).count(), one.size());
    }

    @Test
    void replayLoopsATraceShorterThanTheScenario() throws IOException {
        // 5 rows 1 s apart: one loop lasts 5 trace seconds (the span plus one mean gap).
        Path tiny = Files.writeString(dir.resolve("tiny.csv"), """
                TIMESTAMP,ContextTokens,GeneratedTokens
                2023-11-16 18:00:00.0,10,1
                2023-11-16 18:00:01.0,20,2
                2023-11-16 18:00:02.0,30,3
                2023-11-16 18:00:03.0,40,4
                2023-11-16 18:00:04.0,50,5
                """);
        Workload w = WorkloadGenerator.forScenario(chatOnly(tiny, 100)).generate(WorkloadOptions.of(1, 2.0));
        assertEquals(200, w.size(), "100 s at 2/s");
        for (int i = 0; i < w.size(); i++) {
            assertEquals(0.5 * i, w.timeSeconds(i), 1e-9);
            assertEquals(10 * (i % 5 + 1), w.inputTokens(i));
        }
    }

    @Test
    void aTraceFromTheCommandLineReplacesTheScenarios() throws IOException {
        Path other = Files.writeString(dir.resolve("other.csv"), """
                TIMESTAMP,ContextTokens,GeneratedTokens
                2024-01-01 00:00:00.0,111,11
                2024-01-01 00:00:00.5,222,22
                """);
        WorkloadGenerator g = WorkloadGenerator.forScenario(bristol, Optional.of(other));
        Workload w = g.generate(WorkloadOptions.of(1, 10.0));
        assertEquals(other, w.traceFile());
        Set<Integer> chatInputs = IntStream.range(0, w.size()).filter(i -> w.modelClass(i) == ModelClass.CHAT)
                .map(w::inputTokens).boxed().collect(Collectors.toSet());
        assertEquals(Set.of(111, 222), chatInputs);
        Set<Integer> spoken = IntStream.range(0, w.size()).filter(i -> w.modelClass(i) == ModelClass.SPEECH_SYNTHESIS)
                .map(w::inputTokens).boxed().collect(Collectors.toSet());
        assertEquals(Set.of(11, 22), spoken, "speech synthesis draws the trace's answer lengths");

        assertThrows(TraceException.class,
                () -> WorkloadGenerator.forScenario(bristol, Optional.of(dir.resolve("missing.csv"))));
    }

    // ---- shift -----------------------------------------------------------------------------------------------

    @Test
    void theShiftChangesTheClassMixAtItsTimeAndKeepsTheOfferedWork() {
        WorkloadGenerator g = WorkloadGenerator.forScenario(mini(3600));
        Workload w = g.generate(WorkloadOptions.of(4, 20.0).withShiftAt(1800));
        assertEquals(1800.0, w.shiftAtSeconds().getAsDouble());
        double[] before = chatShare(w, 200, 1800);  // after the burst
        double[] after = chatShare(w, 1800, 3600);
        assertEquals(0.6, before[0], 0.015);
        assertEquals(0.2, after[0], 0.015);
        assertTrue(Math.abs(g.shiftRateFactor() - 1) > 0.05, "this mix shift changes the work per prompt");
        assertEquals(before[1] * g.shiftRateFactor(), after[1], 0.03 * after[1], "the rate follows the work");
        assertEquals(offeredWork(w, 200, 1800), offeredWork(w, 1800, 3600), 0.05 * offeredWork(w, 200, 1800),
                "the offered GPU work per second stays");
    }

    /** GPU work per second offered in [from, to): reference-GPU seconds over the batching gain, per prompt. */
    private static double offeredWork(Workload w, double from, double to) {
        double work = 0;
        for (int i = 0; i < w.size(); i++) {
            if (w.timeSeconds(i) >= from && w.timeSeconds(i) < to) {
                ModelSpec m = w.model(i);
                work += LatencyLaws.referenceInferenceSeconds(m, w.size(i))
                        / LatencyLaws.aggregateSpeedup(m, PlacementPlanner.concurrencyFor(m));
            }
        }
        return work / (to - from);
    }

    private static double[] chatShare(Workload w, double from, double to) {
        int all = 0;
        int chat = 0;
        for (int i = 0; i < w.size(); i++) {
            if (w.timeSeconds(i) >= from && w.timeSeconds(i) < to) {
                all++;
                chat += w.modelClass(i) == ModelClass.CHAT ? 1 : 0;
            }
        }
        return new double[] {chat / (double) all, all / (to - from)};
    }

    @Test
    void theShiftMovesTheHotAccessPoints() {
        Workload w = bristolGenerator.generate(WorkloadOptions.of(1, 20.0).withShiftAt(900));
        int n = w.accessPointIds().size();
        int[] before = new int[n];
        int[] after = new int[n];
        for (int i = 0; i < w.size(); i++) {
            if (w.origin(i) != Workload.Origin.BURST) {
                (w.timeSeconds(i) < 900 ? before : after)[w.accessPointIndex(i)]++;
            }
        }
        int hotBefore = argMax(before);
        int hotAfter = argMax(after);
        assertNotEquals(hotBefore, hotAfter);
        double shareBefore = before[hotBefore] / (double) IntStream.of(before).sum();
        double shareAfter = after[hotBefore] / (double) IntStream.of(after).sum();
        assertTrue(shareAfter < shareBefore / 2, "the hottest cell cools: " + shareBefore + " -> " + shareAfter);
        List<Integer> topFourBefore = IntStream.range(0, n).boxed()
                .sorted((a, b) -> Integer.compare(before[b], before[a])).limit(4).toList();
        assertFalse(topFourBefore.contains(hotAfter), "the new hottest cell was not among the four hottest");

        Workload unshifted = bristolGenerator.generate(WorkloadOptions.of(1, 20.0));
        assertTrue(unshifted.shiftAtSeconds().isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> bristolGenerator.generate(WorkloadOptions.of(1, 20.0).withShiftAt(5000)));
    }

    private static int argMax(int[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    // ---- sizes and scale -----------------------------------------------------------------------------------

    @Test
    void sampledSizesFollowTheModelsDistributions() {
        List<PromptSize> turbo = bristolGenerator.sampleSizes("sdxl-turbo", 1000, 1);
        for (PromptSize p : turbo) {
            assertEquals(4, p.steps());
            assertEquals(512L * 512, p.outputPixels());
            assertTrue(p.inputTokens() >= 8 && p.inputTokens() <= 77);
            assertEquals(4L * p.inputTokens(), p.inputBytes());
        }
        assertEquals(Set.of(8, 77), Set.of(turbo.stream().mapToInt(PromptSize::inputTokens).min().getAsInt(),
                turbo.stream().mapToInt(PromptSize::inputTokens).max().getAsInt()), "uniform reaches both ends");
        List<PromptSize> vision = bristolGenerator.sampleSizes("qwen2.5-vl-7b", 2000, 1);
        long large = vision.stream().filter(p -> p.imagePixels() == 1344L * 1008).count();
        assertEquals(0.2 * 2000, large, 60, "a fifth of the images are 1344x1008");
        double median = vision.stream().mapToInt(PromptSize::outputTokens).sorted().skip(1000).findFirst().getAsInt();
        assertEquals(100, median, 8, "answers have a median of 100 tokens");
        for (PromptSize p : bristolGenerator.sampleSizes("whisper-large-v3", 500, 2)) {
            assertTrue(p.audioSeconds() >= 1 && p.audioSeconds() <= 300);
            assertEquals(Math.round(32_000 * p.audioSeconds()), p.inputBytes());
        }
        assertThrows(IllegalArgumentException.class, () -> bristolGenerator.sampleSizes("gpt-5", 1, 1));
    }

    @Test
    void city100GeneratesAMillionPrompts() {
        Scenario city = LOADER.loadBuiltIn("city-100");
        Workload w = WorkloadGenerator.forScenario(city).generate(WorkloadOptions.of(1, 100.0));
        assertEquals(1_000_000, w.size());
        assertEquals(20, IntStream.of(w.countsByModel()).filter(c -> c > 0).count(), "every model gets prompts");
        assertEquals(w.timeSeconds(w.size() - 1), w.endSeconds());
        for (int i = 1; i < w.size(); i++) {
            assertTrue(w.timeSeconds(i) >= w.timeSeconds(i - 1));
        }
        assertEquals(0.40, w.countsByClass().get(ModelClass.CHAT) / 1e6, 0.01);
    }

    private static void assertSameStream(Workload a, Workload b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.timeSeconds(i), b.timeSeconds(i));
            assertEquals(a.modelIndex(i), b.modelIndex(i));
            assertEquals(a.user(i), b.user(i));
            assertEquals(a.accessPointIndex(i), b.accessPointIndex(i));
            assertEquals(a.size(i), b.size(i));
            assertEquals(a.origin(i), b.origin(i));
        }
    }
}
