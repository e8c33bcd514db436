package dev.edgeweave.testbed.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.testbed.workload.AzureTraceReader;
import dev.edgeweave.testbed.workload.TraceReadResult;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in scenarios' SLOs follow their stated rule, so nobody can tune one quietly: per class,
 * ⌈10 × the reference-GPU inference time of the class's median-size prompt on its slowest model⌉ seconds.
 * Medians are taken field by field from the scenario's own distributions (chat: the trace's medians).
 */
class SloRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"bristol-7", "city-100"})
    void sloIsTenTimesTheMedianPromptOnTheReferenceGpuRoundedUp(String name) {
        Scenario s = new ScenarioLoader().loadBuiltIn(name);
        TraceReadResult trace = AzureTraceReader.read(s.workload().chat().trace());
        for (ClassMix mix : s.workload().classes().values()) {
            double slowest = 0;
            for (ModelShare ms : mix.models()) {
                ModelSpec model = s.models().require(ms.modelId());
                PromptSize median = mix.modelClass() == ModelClass.CHAT
                        ? PromptSize.text(median(trace.contextTokens()), median(trace.generatedTokens()))
                        : medianSize(ms.sizes(), trace);
                slowest = Math.max(slowest, LatencyLaws.referenceInferenceSeconds(model, median));
            }
            assertEquals(Math.ceil(10 * slowest), s.sloSeconds(mix.modelClass()), 1e-9,
                    name + " " + mix.modelClass() + ": 10 x " + slowest);
        }
    }

    private static PromptSize medianSize(SizeSpec sizes, TraceReadResult trace) {
        return new PromptSize((int) median(sizes, SizeField.INPUT_TOKENS, trace),
                (int) median(sizes, SizeField.IMAGES, trace), (long) median(sizes, SizeField.IMAGE_PIXELS, trace),
                median(sizes, SizeField.AUDIO_SECONDS, trace), (int) median(sizes, SizeField.OUTPUT_TOKENS, trace),
                (int) median(sizes, SizeField.STEPS, trace), (long) median(sizes, SizeField.OUTPUT_PIXELS, trace), 0);
    }

    private static double median(SizeSpec sizes, SizeField field, TraceReadResult trace) {
        Distribution d = sizes.get(field);
        if (d == null) {
            return 0;
        }
        if (d instanceof Distribution.Constant c) {
            return c.value();
        }
        if (d instanceof Distribution.Uniform u) {
            return Math.round((u.low() + u.high()) / 2);
        }
        if (d instanceof Distribution.LogNormal ln) {
            return Math.max(ln.min(), Math.min(ln.max(), ln.median()));
        }
        if (d instanceof Distribution.Choice ch) {  // weighted median
            double total = ch.weights().stream().mapToDouble(Double::doubleValue).sum();
            double cum = 0;
            for (int i = 0; i < ch.values().size(); i++) {
                cum += ch.weights().get(i);
                if (cum >= total / 2) {
                    return ch.values().get(i);
                }
            }
        }
        Distribution.FromTrace ft = (Distribution.FromTrace) d;
        int[] column = ft.column() == Distribution.TraceColumn.CONTEXT_TOKENS ? trace.contextTokens()
                : trace.generatedTokens();
        return Math.max(ft.min(), Math.min(ft.max(), median(column)));
    }

    private static int median(int[] values) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
