package dev.edgeweave.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The models edgeweave can serve, with their sizes, limits and calibrated latency laws.
 *
 * <p>{@link #standard()} holds eight models over all five classes. Every figure is cited to
 * {@code ../shared/catalog-facts.md} (section and row), or marked <b>[D]</b> derived (with the arithmetic)
 * or <b>[E]</b> estimated (with the reasoning). The η (efficiency) values are <b>[D] fitted</b>: chosen so the
 * laws in {@code LatencyLaws} reproduce the cited measurements, which {@code LatencyLawCalibrationTest}
 * checks row by row. Where a work figure (FLOP) is an estimate, only work/η matters to a prediction, so an
 * error in the estimate moves the fitted η, not the calibrated predictions.
 *
 * <p><b>Limits are deployment choices</b>, not the models' architectural maxima: e.g. chat context is capped at
 * 8,192 input tokens so one stream's KV cache stays near 1 GiB on a 16–24 GB edge GPU.
 */
public final class ModelCatalog {

    private static final long GB = 1_000_000_000L;
    private static final long KIB = 1024L;

    /** Chat decode batching, fitted to the concurrency sweeps of catalog-facts §2 (see LatencyLawCalibrationTest). */
    private static final BatchScaling LLM_BATCHING = new BatchScaling(0.05, 16);

    private static final ModelCatalog STANDARD = new ModelCatalog(List.of(
            llama31_8b(), llama32_3b(), qwen25vl7b(), sdxlTurbo(), sdxl(),
            whisperLargeV3Turbo(), whisperLargeV3(), kokoro82m()));

    private final List<ModelSpec> models;
    private final Map<String, ModelSpec> byId;
    private final Map<ModelClass, List<ModelSpec>> byClass;

    /** A catalog of {@code models} with unique ids. */
    public ModelCatalog(List<ModelSpec> models) {
        Objects.requireNonNull(models, "models");
        Map<String, ModelSpec> ids = new LinkedHashMap<>();
        Map<ModelClass, List<ModelSpec>> classes = new EnumMap<>(ModelClass.class);
        for (ModelSpec model : models) {
            Objects.requireNonNull(model, "model");
            if (ids.putIfAbsent(model.id(), model) != null) {
                throw new IllegalArgumentException("duplicate model id '" + model.id() + "' in the model catalog");
            }
            classes.computeIfAbsent(model.modelClass(), c -> new ArrayList<>()).add(model);
        }
        classes.replaceAll((c, list) -> List.copyOf(list));
        this.models = List.copyOf(models);
        this.byId = Collections.unmodifiableMap(ids);
        this.byClass = Collections.unmodifiableMap(classes);
    }

    /** The standard catalog: eight models over all five classes. */
    public static ModelCatalog standard() {
        return STANDARD;
    }

    /** The model with this id, if known. */
    public Optional<ModelSpec> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The model with this id; an {@link IllegalArgumentException} naming the id and the known ids otherwise. */
    public ModelSpec require(String id) {
        ModelSpec model = byId.get(id);
        if (model == null) {
            throw new IllegalArgumentException("unknown model '" + id + "'; known models: " + byId.keySet());
        }
        return model;
    }

    /** Every model, in catalog order. */
    public List<ModelSpec> models() {
        return models;
    }

    /** The classes that have at least one model, in {@link ModelClass} order. */
    public Set<ModelClass> classes() {
        return byClass.keySet();
    }

    /** The models of one class, in catalog order; empty when the class has none. */
    public List<ModelSpec> byClass(ModelClass modelClass) {
        return byClass.getOrDefault(modelClass, List.of());
    }

    // ---------------------------------------------------------------------------------------------------
    // The standard models. Each figure's citation sits beside it and again in the model's sources list,
    // which travels with the record (reports and agent prompts can quote it).
    // ---------------------------------------------------------------------------------------------------

    private static ModelSpec llama31_8b() {
        return new ModelSpec(
                "llama-3.1-8b-instruct",
                "Llama 3.1 8B Instruct (AWQ 4-bit)",
                ModelClass.CHAT,
                46 * GB / 10,  // catalog-facts §2 weights row: AWQ 4.6 GB
                82 * GB / 10,  // catalog-facts §2: AGX Orin Qwen3-8B INT4 AWQ 8.2 GB GPU memory (same 8B INT4 class)
                34.0,          // catalog-facts §7: vLLM engine init 34 s
                new ModelLimits(8192, 0, 0, 0, 2048, 0, 0),
                new TokenParams(
                        8.03e9,      // [D] 16.06 GB BF16 weights (§2) / 2 B per parameter
                        128 * KIB,   // catalog-facts §2 KV row: Llama-3.1-8B 128 KiB/token [D]
                        0.70,        // [D] fitted: §2 AGX Orin 61-token prefill 65.7 ms, RTX 4090 pp512 7,139 tok/s
                        0.75,        // [D] fitted: §2 decode rows (A100 75, Orin 32.5, L4 17-18 tok/s); facts: η 0.6-0.8
                        256,         // [E] default answer length when a prompt does not say
                        LLM_BATCHING),
                List.of("weights: catalog-facts §2: Llama-3.1-8B weights, AWQ 4.6 GB (16.06 GB BF16)",
                        "parameters: [D] 16.06 GB BF16 / 2 B = 8.03 B",
                        "memory: catalog-facts §2: AGX Orin 64GB, Qwen3-8B INT4 AWQ 8.2 GB GPU mem (proxy)",
                        "KV cache: catalog-facts §2: KV cache per token, Llama-3.1-8B 128 KiB [D]",
                        "engine start: catalog-facts §7: vLLM small model, engine init 34 s",
                        "efficiency: [D] fitted, see LatencyLawCalibrationTest (chat rows)",
                        "limits: [E] deployment choice: 8,192 input tokens = 1 GiB KV per stream [D]"));
    }

    private static ModelSpec llama32_3b() {
        return new ModelSpec(
                "llama-3.2-3b-instruct",
                "Llama 3.2 3B Instruct (4-bit)",
                ModelClass.CHAT,
                2 * GB,        // catalog-facts §2: Llama-3.2-3B ~2.0 GB at 4-bit [D]
                4 * GB,        // [E] weights + ~2 GB KV/runtime, like the 8B row's 8.2 GB for 4.6 GB of weights
                34.0,          // catalog-facts §7: vLLM engine init 34 s
                new ModelLimits(8192, 0, 0, 0, 2048, 0, 0),
                new TokenParams(
                        3.2e9,       // [D] ~6.4 GB FP16 (§2) / 2 B per parameter
                        112 * KIB,   // catalog-facts §2 KV row: Llama-3.2-3B 112 KiB/token [D]
                        0.70,        // [D] the 8B fit (same runtime class; no 3B prefill figure in the facts)
                        0.75,        // [D] fitted: §2 AGX Orin Llama-3.2-3B W4A16 61.2 / FP16 25.6 tok/s
                        256,         // [E] default answer length
                        LLM_BATCHING),
                List.of("weights: catalog-facts §2: Llama-3.2-3B ~6.4 GB FP16, ~2.0 GB 4-bit [D]",
                        "parameters: [D] 6.4 GB FP16 / 2 B = 3.2 B",
                        "memory: [E] 2.0 GB weights + ~2 GB KV and runtime",
                        "KV cache: catalog-facts §2: KV cache per token, Llama-3.2-3B 112 KiB [D]",
                        "engine start: catalog-facts §7: vLLM small model, engine init 34 s",
                        "efficiency: [D] fitted, see LatencyLawCalibrationTest (AGX Orin Llama-3.2-3B rows)"));
    }

    private static ModelSpec qwen25vl7b() {
        long languageBytes = 475 * GB / 100;  // [D] §2 Qwen2.5-7B 4-bit ≈ 4.5-5 GB: the midpoint
        long visionBytes = 135 * GB / 100;    // [E] ViT of ~0.67 B parameters [E] kept at FP16 (2 B each)
        return new ModelSpec(
                "qwen2.5-vl-7b",
                "Qwen2.5-VL 7B Instruct (INT4 AWQ LLM, FP16 ViT)",
                ModelClass.VISION_LANGUAGE,
                languageBytes + visionBytes,
                121 * GB / 10, // catalog-facts §3: Qwen2.5-VL-7B on AGX Orin 64GB, 12.1 GB
                34.0,          // catalog-facts §7: vLLM engine init 34 s
                // 1 image of at most 1344×1344 px = 2,304 image tokens at 784 px/token [D]
                new ModelLimits(8192, 1, 1344L * 1344L, 0, 1024, 0, 0),
                new VisionLanguageParams(
                        new TokenParams(
                                7.6e9,      // catalog-facts §2: Qwen2.5-7B, 7.6 B params
                                56 * KIB,   // catalog-facts §2 KV row: Qwen2.5-7B 56 KiB/token [D]
                                0.70,       // [D] fitted: §3 AGX Orin / Orin NX prefill 376 tok in 261 / 536 ms
                                0.75,       // [D] fitted: §3 Qwen3-VL-8B vanilla decode 32.3 / 18.9 tok/s (proxy)
                                256,        // [E] default answer length
                                LLM_BATCHING),
                        visionBytes,
                        5.4e9,      // [E] 2 FLOP × ~0.67 B ViT params [E] × 4 patches of 14² px per 28² px token
                        784.0,      // catalog-facts §3: Qwen2-VL 1 token per 28×28 px
                        4,          // catalog-facts §3: Qwen2-VL default range 4-16,384 tokens per image
                        16384,
                        0.50),      // [D] fitted: §3 AGX Orin ViT 89 ms for 349 image tokens
                List.of("weights: [D] 4.75 GB INT4 language model (catalog-facts §2: Qwen2.5-7B 4-bit ≈ 4.5-5 GB) "
                                + "+ [E] 1.35 GB FP16 vision encoder",
                        "memory: catalog-facts §3: Qwen2.5-VL-7B, AGX Orin 64GB, 12.1 GB",
                        "parameters: catalog-facts §2: Qwen2.5-7B weights, 7.6 B params",
                        "KV cache: catalog-facts §2: KV cache per token, Qwen2.5-7B 56 KiB [D]",
                        "image tokens: catalog-facts §3: Qwen2-VL image tokens, 1 token per 28×28 px, 4-16,384",
                        "vision work: [E] 5.4 GFLOP per image token",
                        "efficiency: [D] fitted to catalog-facts §3: Qwen2.5-VL-7B AGX Orin ViT 89 ms / 349 tokens, "
                                + "prefill 376 tok in 261 ms",
                        "engine start: catalog-facts §7: vLLM small model, engine init 34 s"));
    }

    /** SDXL and SDXL-Turbo share the SDXL U-Net, text encoders and VAE, so size and memory are the same. */
    private static final long SDXL_WEIGHT_BYTES = 69 * GB / 10;  // [E] 2.6 B U-Net + 0.8 B text encoders [E] at FP16
    private static final long SDXL_MEMORY_BYTES = 10 * GB;        // [E] FP16, batch 1, SDPA attention (§4: 28 GB is fp32 ×4 images)
    private static final double SDXL_ENGINE_START_SECONDS = 15.0; // [E] TensorRT engine deserialisation and warm-up
    private static final double UNET_PASS_FLOPS_1024 = 6e12;      // [E] one SDXL U-Net pass at 1024² output

    private static ModelSpec sdxlTurbo() {
        return new ModelSpec(
                "sdxl-turbo",
                "SDXL-Turbo (FP16, TensorRT)",
                ModelClass.IMAGE_GENERATION,
                SDXL_WEIGHT_BYTES,
                SDXL_MEMORY_BYTES,
                SDXL_ENGINE_START_SECONDS,
                // 77 = CLIP text-encoder context [E]; 4 steps is what the model is distilled and benchmarked for
                new ModelLimits(77, 0, 0, 0, 0, 4, 1024L * 1024L),
                new DiffusionParams(
                        UNET_PASS_FLOPS_1024 / 4,  // [D] one pass (no guidance) at 512² = a quarter of the 1024² work
                        4.5e12,     // [D] §4 A100: 138.6 ms total - 79 ms U-Net = 59.6 ms × 0.243 η × 312 TFLOPS
                        512L * 512L,
                        4,          // catalog-facts §4: SDXL-Turbo, 4 steps
                        0.243,      // [D] fitted: §4 A100 U-Net 79 ms for 4 steps: 4 × 1.5 TFLOP / (0.079 s × 312 TFLOPS)
                        new BatchScaling(0.5, 4)),  // [D] §4 H100 SDXL offline 1.64 img/s ≈ 1.6× its batch-1 rate
                List.of("weights, memory: [E] SDXL FP16 pipeline (U-Net + text encoders + VAE)",
                        "work: [E] 6 TFLOP per U-Net pass at 1024², a quarter at 512²",
                        "efficiency, fixed work: [D] fitted to catalog-facts §4: SDXL-Turbo 4 steps, A100 138.6 ms "
                                + "(U-Net 79 ms), 512², TRT",
                        "batching: [D] catalog-facts §4: SDXL H100 offline 1.64 img/s vs ~1 img/s single stream",
                        "engine start: [E] 15 s"));
    }

    private static ModelSpec sdxl() {
        return new ModelSpec(
                "sdxl",
                "Stable Diffusion XL 1.0 (FP16, TensorRT)",
                ModelClass.IMAGE_GENERATION,
                SDXL_WEIGHT_BYTES,
                SDXL_MEMORY_BYTES,
                SDXL_ENGINE_START_SECONDS,
                new ModelLimits(77, 0, 0, 0, 0, 50, 1024L * 1024L),
                new DiffusionParams(
                        2 * UNET_PASS_FLOPS_1024,  // [E] two U-Net passes per step (classifier-free guidance)
                        9e12,       // [E] text encoders + VAE decode at 1024²
                        1024L * 1024L,
                        30,         // catalog-facts §4: SDXL TensorRT, 30 steps
                        0.48,       // [D] fitted: §4 A100 30 steps 2.74 s, AGX Orin 20 steps 9.94 s, A10 30 steps 8.16 s
                        new BatchScaling(0.5, 4)),  // [D] as SDXL-Turbo: §4 H100 offline 1.64 img/s
                List.of("weights, memory: [E] SDXL FP16 pipeline (U-Net + text encoders + VAE)",
                        "work: [E] 12 TFLOP per step (2 U-Net passes for guidance), 9 TFLOP fixed, at 1024²",
                        "efficiency: [D] fitted to catalog-facts §4: SDXL TensorRT 30 steps (A100 2.74 s, A10 8.16 s) "
                                + "and SDXL on Jetson AGX Orin 64GB 9.94 s/image, 20 steps, 1024²",
                        "engine start: [E] 15 s"));
    }

    /** Whisper's speech rate doubles as the transcript length: ~2.5 words/s × ~1.3 tokens/word [E]. */
    private static final double SPEECH_SECONDS_PER_TOKEN = 0.3;
    private static final double A100_TFLOPS = 312.0;  // catalog-facts §1: A100 40GB and 80GB, 312 dense

    private static ModelSpec whisperLargeV3Turbo() {
        return new ModelSpec(
                "whisper-large-v3-turbo",
                "Whisper large-v3-turbo (FP16, faster-whisper)",
                ModelClass.SPEECH_RECOGNITION,
                1_618_000_000L,  // [D] 809 M params (§5 Whisper sizes: turbo 809M) × 2 B
                25 * GB / 10,    // catalog-facts §5: faster-whisper large-v3-turbo fp16 2.5 GB
                5.0,             // [E] CTranslate2 load and warm-up, like llama.cpp's 1-5 s (§7)
                new ModelLimits(0, 0, 0, 1800, 0, 0, 0),  // audio only, at most 30 min
                new SpeechParams(
                        39.5,        // catalog-facts §5: Open ASR Leaderboard RTFx, faster-whisper large-v3-turbo 39.5×, A100 80GB
                        A100_TFLOPS,
                        1.0,         // [E] the encoder dominates: compute-bound
                        0.1,         // [E] audio front end and the first 30-s window
                        SPEECH_SECONDS_PER_TOKEN,
                        new BatchScaling(0.25, 8)),  // [E] batched chunks; the leaderboard already batches
                List.of("weights: [D] catalog-facts §5: Whisper sizes, turbo 809M params × 2 B = 1.62 GB",
                        "memory: catalog-facts §5: faster-whisper large-v3-turbo fp16 2.5 GB",
                        "speed: catalog-facts §5: Open ASR Leaderboard RTFx, faster-whisper large-v3-turbo 39.5×, A100 80GB",
                        "fixed overhead, batching, engine start: [E]"));
    }

    private static ModelSpec whisperLargeV3() {
        return new ModelSpec(
                "whisper-large-v3",
                "Whisper large-v3 (FP16, faster-whisper)",
                ModelClass.SPEECH_RECOGNITION,
                3_100_000_000L,  // [D] 1,550 M params (§5 Whisper sizes: large 1550M) × 2 B
                45 * GB / 10,    // catalog-facts §5: faster-whisper large-v3 fp16 4.5 GB
                5.0,             // [E] as turbo
                new ModelLimits(0, 0, 0, 1800, 0, 0, 0),
                new SpeechParams(
                        19.1,        // catalog-facts §5: Open ASR Leaderboard RTFx, faster-whisper large-v3 19.1×, A100 80GB
                        A100_TFLOPS,
                        1.0,         // [E] compute-bound
                        0.1,         // [E]
                        SPEECH_SECONDS_PER_TOKEN,
                        new BatchScaling(0.25, 8)),  // [E]
                List.of("weights: [D] catalog-facts §5: Whisper sizes, large 1550M params × 2 B = 3.1 GB",
                        "memory: catalog-facts §5: faster-whisper large-v3 fp16 4.5 GB",
                        "speed: catalog-facts §5: Open ASR Leaderboard RTFx, faster-whisper large-v3 19.1×, A100 80GB",
                        "fixed overhead, batching, engine start: [E]"));
    }

    private static ModelSpec kokoro82m() {
        return new ModelSpec(
                "kokoro-82m",
                "Kokoro 82M (FP16)",
                ModelClass.SPEECH_SYNTHESIS,
                164_000_000L,    // [D] 82 M params × 2 B
                350_000_000L,    // catalog-facts §6: Kokoro-82M ~350 MB VRAM
                3.0,             // [E] small ONNX/PyTorch model: load and warm-up in seconds
                // 2,000 text tokens ≈ 10 min of speech at 0.3 s/token [E]
                new ModelLimits(2000, 0, 0, 0, 0, 0, 0),
                new SpeechParams(
                        70.0,        // [E] inside §6's "35-100× realtime on NVIDIA GPUs", placed at an A100-class GPU
                        A100_TFLOPS,
                        0.5,         // [E] fitted so L4…A100 stay in the 35-100× band and H100 meets §6's ~130 audio-s/s
                        0.05,        // [E] text normalisation and phonemisation
                        SPEECH_SECONDS_PER_TOKEN,
                        new BatchScaling(0.1, 8)),  // [D] §6 H100: 698 audio-s/s batched vs ~130 unbatched ≈ 5×
                List.of("weights: [D] 82 M params × 2 B = 164 MB",
                        "memory: catalog-facts §6: Kokoro-82M ~350 MB VRAM",
                        "speed: catalog-facts §6: Kokoro-82M 35-100× realtime on NVIDIA GPUs; Kokoro-82M on H100 "
                                + "~130 audio-s/s (Kokoro-FastAPI), 698 batched",
                        "real-time factor at A100, compute exponent, overhead, engine start: [E]"));
    }
}
