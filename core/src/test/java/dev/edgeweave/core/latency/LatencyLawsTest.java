package dev.edgeweave.core.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape of the laws: what scales with what, defaults, clamps, output bytes, and clear errors. */
class LatencyLawsTest {

    static final GpuCatalog GPUS = GpuCatalog.standard();
    static final ModelCatalog MODELS = ModelCatalog.standard();
    static final ModelSpec LLAMA = MODELS.require("llama-3.1-8b-instruct");
    static final ModelSpec QWEN_VL = MODELS.require("qwen2.5-vl-7b");
    static final ModelSpec SDXL_TURBO = MODELS.require("sdxl-turbo");
    static final ModelSpec WHISPER = MODELS.require("whisper-large-v3-turbo");
    static final ModelSpec KOKORO = MODELS.require("kokoro-82m");

    @Test
    void decodeIsBandwidthBound() {
        // A100 40GB and 80GB have the same FLOPS; decode speed follows bandwidth, 2039 / 1555.
        double t40 = LatencyLaws.decodeSecondsPerToken(LLAMA, GPUS.require("a100-40gb"), 512);
        double t80 = LatencyLaws.decodeSecondsPerToken(LLAMA, GPUS.require("a100-80gb"), 512);
        assertEquals(2039.0 / 1555.0, t40 / t80, 1e-9);
    }

    @Test
    void decodeReadsTheKvCacheSoLongContextsAreSlower() {
        GpuType gpu = GPUS.require("l4");
        double shortContext = LatencyLaws.decodeSecondsPerToken(LLAMA, gpu, 0);
        double longContext = LatencyLaws.decodeSecondsPerToken(LLAMA, gpu, 8192);
        // 8192 · 128 KiB = 1.074 GB on top of 4.6 GB of weights
        assertEquals((4.6e9 + 8192 * 131072.0) / 4.6e9, longContext / shortContext, 1e-9);
    }

    @Test
    void prefillComputeScalesWithFlops() {
        // Same bandwidth (AGX Orin 32GB vs 64GB), different FLOPS: the compute part scales 42.5 / 27.
        GpuType orin32 = GPUS.require("jetson-agx-orin-32gb");
        GpuType orin64 = GPUS.require("jetson-agx-orin-64gb");
        double sweep32 = LatencyLaws.prefillSeconds(LLAMA, orin32, 0);
        double sweep64 = LatencyLaws.prefillSeconds(LLAMA, orin64, 0);
        assertEquals(sweep32, sweep64, 1e-12, "the weight sweep depends on bandwidth only");
        double compute32 = LatencyLaws.prefillSeconds(LLAMA, orin32, 1000) - sweep32;
        double compute64 = LatencyLaws.prefillSeconds(LLAMA, orin64, 1000) - sweep64;
        assertEquals(42.5 / 27.0, compute32 / compute64, 1e-9);
    }

    @Test
    void chatInferenceIsPrefillPlusDecodeOfTheRemainingTokens() {
        GpuType gpu = GPUS.require("a100-40gb");
        double expected = LatencyLaws.prefillSeconds(LLAMA, gpu, 500) + LatencyLaws.decodeSeconds(LLAMA, gpu, 500, 200);
        assertEquals(expected, LatencyLaws.inferenceSeconds(LLAMA, gpu, PromptSize.text(500, 200)), 1e-12);
        // 199 steps at the mean context 500 + 100
        assertEquals(199 * LatencyLaws.decodeSecondsPerToken(LLAMA, gpu, 600),
                LatencyLaws.decodeSeconds(LLAMA, gpu, 500, 200), 1e-12);
    }

    @Test
    void zeroRequestedOutputTokensMeansTheModelsDefault() {
        GpuType gpu = GPUS.require("l4");
        assertEquals(LatencyLaws.inferenceSeconds(LLAMA, gpu, PromptSize.text(100, 256)),
                LatencyLaws.inferenceSeconds(LLAMA, gpu, PromptSize.text(100, 0)), 1e-12);
    }

    @ParameterizedTest(name = "{0} px -> {1} image tokens")
    @CsvSource({
            "200704, 256",      // 448 × 448 / 784 = 256 (catalog-facts §3 [D])
            "1806336, 2304",    // 1344 × 1344 / 784
            "7841, 11",         // ceil(7841 / 784) = ceil(10.0013) = 11: a partial token is a token
            "785, 4",           // ceil = 2, raised to the minimum of 4
            "100000000, 16384"  // 127,551 tokens, lowered to the maximum
    })
    void imageTokensFollowQwenPatchingWithinItsRange(long pixels, int expected) {
        assertEquals(expected, LatencyLaws.imageTokens(QWEN_VL, pixels));
    }

    @Test
    void visionLanguageInferenceAddsEncoderAndImageTokensToPrefill() {
        GpuType gpu = GPUS.require("jetson-agx-orin-64gb");
        PromptSize withImage = new PromptSize(30, 1, 200_704, 0, 50, 0, 0, 100_000);
        double expected = LatencyLaws.visionEncodeSeconds(QWEN_VL, gpu, 1, 200_704)
                + LatencyLaws.prefillSeconds(QWEN_VL, gpu, 30 + 256)
                + LatencyLaws.decodeSeconds(QWEN_VL, gpu, 30 + 256, 50);
        assertEquals(expected, LatencyLaws.inferenceSeconds(QWEN_VL, gpu, withImage), 1e-12);
        PromptSize textOnly = new PromptSize(30, 0, 0, 0, 50, 0, 0, 120);
        assertTrue(LatencyLaws.inferenceSeconds(QWEN_VL, gpu, textOnly) < expected);
    }

    @Test
    void visionLanguageDecodeDoesNotStreamTheVisionEncoder() {
        assertEquals(4_750_000_000L, QWEN_VL.decodeStreamedBytes());
        assertEquals(LLAMA.weightBytes(), LLAMA.decodeStreamedBytes());
    }

    @Test
    void diffusionScalesWithStepsAndPixelsAndDefaultsWhenZero() {
        GpuType gpu = GPUS.require("a100-40gb");
        double native512 = LatencyLaws.diffusionSeconds(SDXL_TURBO, gpu, 4, 512 * 512);
        assertEquals(4 * native512, LatencyLaws.diffusionSeconds(SDXL_TURBO, gpu, 4, 1024 * 1024), 1e-12);
        assertEquals(native512, LatencyLaws.diffusionSeconds(SDXL_TURBO, gpu, 0, 0), 1e-12,
                "0 steps and 0 pixels mean the default 4 steps at 512²");
        assertTrue(LatencyLaws.diffusionSeconds(SDXL_TURBO, gpu, 1, 512 * 512) < native512);
    }

    @Test
    void speechScalesWithAudioAndComputeRaisedToTheExponent() {
        GpuType a100 = GPUS.require("a100-40gb");
        GpuType l4 = GPUS.require("l4");
        // Whisper: exponent 1, so time scales with 312 / 121.
        assertEquals(312.0 / 121.0,
                LatencyLaws.speechSeconds(WHISPER, l4, 600) / LatencyLaws.speechSeconds(WHISPER, a100, 600), 1e-9);
        // Kokoro: exponent 0.5.
        assertEquals(Math.sqrt(312.0 / 121.0),
                LatencyLaws.speechSeconds(KOKORO, l4, 60) / LatencyLaws.speechSeconds(KOKORO, a100, 60), 1e-9);
        // Whisper on A100: 0.1 s fixed + 600 / 39.5
        assertEquals(0.1 + 600 / 39.5, LatencyLaws.speechSeconds(WHISPER, a100, 600), 1e-9);
    }

    @Test
    void speechSynthesisAudioFollowsTheTextLength() {
        PromptSize hundredTokens = new PromptSize(100, 0, 0, 0, 0, 0, 0, 400);
        assertEquals(30.0, LatencyLaws.audioSeconds(KOKORO, hundredTokens), 1e-9);
    }

    static Stream<Arguments> outputBytes() {
        return Stream.of(
                Arguments.of("llama-3.1-8b-instruct", PromptSize.text(50, 100), 400L),             // 100 · 4 B
                Arguments.of("llama-3.1-8b-instruct", PromptSize.text(50, 0), 1024L),              // default 256 · 4 B
                Arguments.of("qwen2.5-vl-7b", new PromptSize(20, 1, 200_704, 0, 30, 0, 0, 90_000), 120L),
                Arguments.of("sdxl", new PromptSize(20, 0, 0, 0, 0, 30, 1024 * 1024, 80), 1_572_864L), // 1.5 B/px
                Arguments.of("sdxl-turbo", new PromptSize(20, 0, 0, 0, 0, 0, 0, 80), 393_216L),        // default 512²
                Arguments.of("whisper-large-v3-turbo", new PromptSize(0, 0, 0, 60, 0, 0, 0, 960_000), 800L), // 200 tok
                Arguments.of("kokoro-82m", new PromptSize(100, 0, 0, 0, 0, 0, 0, 400), 480_000L));     // 30 s · 16 kB
    }

    @ParameterizedTest(name = "{0}: {2} bytes back")
    @MethodSource("outputBytes")
    void outputBytesPerClass(String modelId, PromptSize size, long expected) {
        assertEquals(expected, LatencyLaws.outputBytes(MODELS.require(modelId), size));
    }

    @Test
    void aggregateSpeedupIsOneAloneRisesAndFlattensAtTheKnee() {
        assertEquals(1.0, LatencyLaws.aggregateSpeedup(LLAMA, 1), 1e-12);
        assertEquals(8 / (1 + 0.05 * 7), LatencyLaws.aggregateSpeedup(LLAMA, 8), 1e-12);
        assertTrue(LatencyLaws.aggregateSpeedup(LLAMA, 8) > LatencyLaws.aggregateSpeedup(LLAMA, 4));
        assertEquals(LatencyLaws.aggregateSpeedup(LLAMA, 16), LatencyLaws.aggregateSpeedup(LLAMA, 64), 1e-12);
        assertEquals(8 / LatencyLaws.aggregateSpeedup(LLAMA, 8), LatencyLaws.perPromptSlowdown(LLAMA, 8), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyLaws.aggregateSpeedup(LLAMA, 0));
        assertTrue(e.getMessage().contains("concurrency"), e.getMessage());
    }

    @Test
    void loadIsWeightsOverStoragePlusEngineStart() {
        // 4.6 GB / 0.5 GB/s + 34 s
        assertEquals(9.2 + 34.0, LatencyLaws.loadSeconds(LLAMA, 0.5e9), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> LatencyLaws.loadSeconds(LLAMA, 0));
    }

    @Test
    void aLawOfAnotherFamilyIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyLaws.prefillSeconds(SDXL_TURBO, GPUS.referenceGpu(), 10));
        assertTrue(e.getMessage().contains("sdxl-turbo") && e.getMessage().contains("IMAGE_GENERATION"),
                e.getMessage());
    }

    static Stream<Arguments> everyModelOnEveryGpu() {
        return MODELS.models().stream().flatMap(m -> GPUS.gpus().stream().map(g -> Arguments.of(m, g)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyModelOnEveryGpu")
    void everyModelHasAFinitePositiveTimeOnEveryGpuAndTheReferenceBeatsTheOrinNx(ModelSpec model, GpuType gpu) {
        PromptSize size = typical(model);
        double t = LatencyLaws.inferenceSeconds(model, gpu, size);
        assertTrue(t > 0 && Double.isFinite(t), model.id() + " on " + gpu.id() + ": " + t);
        double nx = LatencyLaws.inferenceSeconds(model, GPUS.require("jetson-orin-nx-16gb"), size);
        assertTrue(LatencyLaws.referenceInferenceSeconds(model, size) < nx,
                model.id() + ": the A100 reference must be faster than the Orin NX");
        assertTrue(model.limits().violations(size).isEmpty(), "typical prompt fits " + model.id());
    }

    static PromptSize typical(ModelSpec model) {
        return switch (model.modelClass()) {
            case CHAT -> PromptSize.text(500, 200);
            case VISION_LANGUAGE -> new PromptSize(40, 1, 640 * 480, 0, 100, 0, 0, 150_000);
            case IMAGE_GENERATION -> new PromptSize(40, 0, 0, 0, 0, 0, 0, 160);
            case SPEECH_RECOGNITION -> new PromptSize(0, 0, 0, 30, 0, 0, 0, 480_000);
            case SPEECH_SYNTHESIS -> new PromptSize(60, 0, 0, 0, 0, 0, 0, 240);
        };
    }
}
