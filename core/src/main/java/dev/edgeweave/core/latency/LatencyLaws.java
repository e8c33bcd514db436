package dev.edgeweave.core.latency;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.BatchScaling;
import dev.edgeweave.core.model.DiffusionParams;
import dev.edgeweave.core.model.LatencyParams;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.SpeechParams;
import dev.edgeweave.core.model.TokenParams;
import dev.edgeweave.core.model.VisionLanguageParams;

/**
 * The latency laws of the emulated GPU server (DESIGN "The emulated GPU server"), in one place: how long a
 * prompt takes on a GPU, and how many bytes it sends back.
 *
 * <ul>
 *   <li><b>Prefill</b> (compute-bound): {@code W/(η_d·BW) + tokens·2P/(η_p·FLOPS)}. The first term is one
 *       sweep over the weights, which even a one-token prompt pays and which yields the first output token:
 *       catalog-facts §2 "TTFT ≈ prompt_tokens / prefill_rate + 1 decode step". Without it the 61-token AGX
 *       Orin prefill (65.7 ms) and RTX 4090's pp512 (7,139 tok/s) need η 0.35 and 0.69; with it one η (0.70)
 *       fits both.</li>
 *   <li><b>Decode</b> (bandwidth-bound): per token {@code (W + kv·context)/(η_d·BW)} at batch 1, W the weights
 *       one step streams. The KV term is &lt;3% at 1k context but 16 GB at 128k for an 8B model.</li>
 *   <li><b>Vision encoding</b> (compute-bound): {@code imageTokens·F_tok/(η_v·FLOPS)}; image tokens then join
 *       the text in prefill.</li>
 *   <li><b>Diffusion</b> (compute-bound): {@code (steps·F_step + F_fixed)·(pixels/refPixels)/(η·FLOPS)}.</li>
 *   <li><b>Speech</b>: {@code (fixed + audio/RTFx)·(F_anchor/FLOPS)^β}, a measured real-time factor scaled by
 *       compute.</li>
 *   <li><b>Batching</b>: aggregate throughput at concurrency c is {@link #aggregateSpeedup} × the batch-1 rate.</li>
 * </ul>
 *
 * <p>Every method is a pure function of its arguments and allocates nothing, because the router calls
 * {@link #inferenceSeconds} for about a hundred candidate servers per prompt. The parameters and their
 * sources are in {@link dev.edgeweave.core.model.ModelCatalog}; how well the laws reproduce the cited
 * measurements is pinned by {@code LatencyLawCalibrationTest}.
 *
 * <p>A known limitation: the laws scale with peak dense FLOPS, and the H100's peak is 3.2× the A100's while
 * batch-1 SDXL and SDXL-Turbo gain only 1.6–1.9× (catalog-facts §4). Compute-bound phases on an H100 are
 * predicted up to ~1.9× too fast; bandwidth-bound decode stays within tolerance.
 */
public final class LatencyLaws {

    /** Bytes per text token on the wire, both ways: about 4 characters of UTF-8 per token [E]. */
    public static final double TEXT_BYTES_PER_TOKEN = 4.0;

    /**
     * Bytes per generated pixel: a PNG of a photographic 1024² image is ~1.5 MB [E]. PNG rather than JPEG
     * because image servers return lossless PNG by default; this errs towards a longer downlink.
     */
    public static final double IMAGE_BYTES_PER_PIXEL = 1.5;

    /** Bytes per second of synthesised speech: 128 kbit/s MP3, the usual default of speech APIs [E]. */
    public static final double AUDIO_BYTES_PER_SECOND = 16_000.0;

    private LatencyLaws() {
    }

    /**
     * Seconds the prompt takes alone on {@code gpu}: batch 1, no queue, no load, no network. Sizes of 0 where
     * the law needs a size (output tokens, steps, output pixels) mean the model's default.
     */
    public static double inferenceSeconds(ModelSpec model, GpuType gpu, PromptSize size) {
        LatencyParams law = model.law();
        if (law instanceof TokenParams t) {
            int out = outputTokens(t, size);
            return prefillSeconds(model, gpu, size.inputTokens()) + decodeSeconds(model, gpu, size.inputTokens(), out);
        }
        if (law instanceof VisionLanguageParams v) {
            int imageTokens = size.images() * imageTokens(model, size.imagePixels());
            int promptTokens = size.inputTokens() + imageTokens;
            int out = outputTokens(v.language(), size);
            return visionEncodeSeconds(model, gpu, size.images(), size.imagePixels())
                    + prefillSeconds(model, gpu, promptTokens)
                    + decodeSeconds(model, gpu, promptTokens, out);
        }
        if (law instanceof DiffusionParams) {
            return diffusionSeconds(model, gpu, size.steps(), size.outputPixels());
        }
        return speechSeconds(model, gpu, audioSeconds(model, size));
    }

    /** {@link #inferenceSeconds} on the reference GPU of {@link GpuCatalog#standard()}: the slowdown denominator. */
    public static double referenceInferenceSeconds(ModelSpec model, PromptSize size) {
        return inferenceSeconds(model, GpuCatalog.standard().referenceGpu(), size);
    }

    // ---- text: prefill and decode ------------------------------------------------------------------

    /**
     * Seconds to process {@code promptTokens} (text plus image tokens) and produce the first output token:
     * one weight sweep plus the compute-bound prefill. Chat and vision-language models only.
     */
    public static double prefillSeconds(ModelSpec model, GpuType gpu, int promptTokens) {
        TokenParams t = tokenParams(model);
        double weightSweep = model.decodeStreamedBytes() / (t.decodeEfficiency() * gpu.bandwidthBytesPerSecond());
        double compute = promptTokens * t.prefillFlopsPerToken() / (t.prefillEfficiency() * gpu.flopsPerSecond());
        return weightSweep + compute;
    }

    /**
     * Seconds of one decode step at batch 1 with {@code contextTokens} already in the KV cache: the streamed
     * weights plus the KV cache, read once, at η_d of the memory bandwidth.
     */
    public static double decodeSecondsPerToken(ModelSpec model, GpuType gpu, int contextTokens) {
        TokenParams t = tokenParams(model);
        double bytes = model.decodeStreamedBytes() + (double) t.kvBytesPerToken() * contextTokens;
        return bytes / (t.decodeEfficiency() * gpu.bandwidthBytesPerSecond());
    }

    /**
     * Seconds to decode output tokens 2…{@code outputTokens} after a prompt of {@code promptTokens} (the first
     * comes out of prefill). Step i sees context prompt + i, so the mean context is prompt + out/2.
     */
    public static double decodeSeconds(ModelSpec model, GpuType gpu, int promptTokens, int outputTokens) {
        if (outputTokens <= 1) {
            return 0.0;
        }
        TokenParams t = tokenParams(model);
        double meanContext = promptTokens + outputTokens / 2.0;
        double bytesPerStep = model.decodeStreamedBytes() + t.kvBytesPerToken() * meanContext;
        return (outputTokens - 1) * bytesPerStep / (t.decodeEfficiency() * gpu.bandwidthBytesPerSecond());
    }

    /** Output tokens the law uses: the requested count, or the model's default when 0. */
    public static int outputTokens(TokenParams t, PromptSize size) {
        return size.outputTokens() > 0 ? size.outputTokens() : t.defaultOutputTokens();
    }

    // ---- vision ----------------------------------------------------------------------------------------

    /** Image tokens one image of {@code pixels} becomes: ⌈pixels / px-per-token⌉, clamped to the model's range. */
    public static int imageTokens(ModelSpec model, long pixels) {
        VisionLanguageParams v = visionParams(model);
        long tokens = (long) Math.ceil(pixels / v.pixelsPerImageToken());
        return (int) Math.max(v.minImageTokens(), Math.min(v.maxImageTokens(), tokens));
    }

    /** Seconds the vision encoder takes for {@code images} images of {@code pixelsPerImage} each. */
    public static double visionEncodeSeconds(ModelSpec model, GpuType gpu, int images, long pixelsPerImage) {
        if (images == 0) {
            return 0.0;
        }
        VisionLanguageParams v = visionParams(model);
        double tokens = (double) images * imageTokens(model, pixelsPerImage);
        return tokens * v.visionFlopsPerImageToken() / (v.visionEfficiency() * gpu.flopsPerSecond());
    }

    // ---- diffusion -------------------------------------------------------------------------------------

    /** Seconds to generate one image of {@code outputPixels} in {@code steps} steps (0 = the model's default). */
    public static double diffusionSeconds(ModelSpec model, GpuType gpu, int steps, long outputPixels) {
        DiffusionParams d = diffusionParams(model);
        int n = steps > 0 ? steps : d.defaultSteps();
        double pixelScale = (double) outputPixels(d, outputPixels) / d.referencePixels();
        double work = (n * d.stepFlops() + d.fixedFlops()) * pixelScale;
        return work / (d.efficiency() * gpu.flopsPerSecond());
    }

    private static long outputPixels(DiffusionParams d, long requested) {
        return requested > 0 ? requested : d.referencePixels();
    }

    // ---- speech ----------------------------------------------------------------------------------------

    /** Seconds to transcribe or synthesise {@code audioSeconds} of speech on {@code gpu}. */
    public static double speechSeconds(ModelSpec model, GpuType gpu, double audioSeconds) {
        SpeechParams s = speechParams(model);
        double onAnchor = s.fixedSeconds() + audioSeconds / s.realtimeFactor();
        return onAnchor * Math.pow(s.anchorTflops() / gpu.fp16Tflops(), s.computeExponent());
    }

    /**
     * Seconds of audio a speech prompt involves: the input audio for recognition, the speech produced from
     * {@code inputTokens} of text for synthesis.
     */
    public static double audioSeconds(ModelSpec model, PromptSize size) {
        SpeechParams s = speechParams(model);
        return model.modelClass() == ModelClass.SPEECH_SYNTHESIS
                ? size.inputTokens() * s.speechSecondsPerToken()
                : size.audioSeconds();
    }

    // ---- batching ----------------------------------------------------------------------------------------

    /**
     * Aggregate throughput with {@code concurrency} prompts served together, relative to one alone:
     * {@code m/(1 + α(m−1))}, {@code m = min(concurrency, knee)}. For chat and vision-language this is the
     * decode tokens/s speed-up (catalog-facts §2: L4 Qwen2.5-7B 17-18 → 109 tok/s at C=8).
     */
    public static double aggregateSpeedup(ModelSpec model, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        BatchScaling b = model.law().batching();
        int m = Math.min(concurrency, b.knee());
        return m / (1 + b.alpha() * (m - 1));
    }

    /**
     * How much slower each of {@code concurrency} prompts progresses than it would alone:
     * {@code concurrency / aggregateSpeedup}. The emulated server stretches a prompt's remaining work by this.
     */
    public static double perPromptSlowdown(ModelSpec model, int concurrency) {
        return concurrency / aggregateSpeedup(model, concurrency);
    }

    // ---- loading and output ------------------------------------------------------------------------------

    /** Seconds to load a cold model: weights from storage, then engine start (catalog-facts §7 load-time model). */
    public static double loadSeconds(ModelSpec model, double storageBytesPerSecond) {
        if (!(storageBytesPerSecond > 0)) {
            throw new IllegalArgumentException("storageBytesPerSecond must be > 0, was " + storageBytesPerSecond);
        }
        return model.weightBytes() / storageBytesPerSecond + model.engineStartSeconds();
    }

    /**
     * Bytes sent back to the client: text at {@link #TEXT_BYTES_PER_TOKEN} (a transcript is as many tokens as the
     * speech holds), images at {@link #IMAGE_BYTES_PER_PIXEL}, speech at {@link #AUDIO_BYTES_PER_SECOND}.
     */
    public static long outputBytes(ModelSpec model, PromptSize size) {
        LatencyParams law = model.law();
        if (law instanceof TokenParams t) {
            return Math.round(outputTokens(t, size) * TEXT_BYTES_PER_TOKEN);
        }
        if (law instanceof VisionLanguageParams v) {
            return Math.round(outputTokens(v.language(), size) * TEXT_BYTES_PER_TOKEN);
        }
        if (law instanceof DiffusionParams d) {
            return Math.round(outputPixels(d, size.outputPixels()) * IMAGE_BYTES_PER_PIXEL);
        }
        SpeechParams s = (SpeechParams) law;
        double audio = audioSeconds(model, size);
        return model.modelClass() == ModelClass.SPEECH_SYNTHESIS
                ? Math.round(audio * AUDIO_BYTES_PER_SECOND)
                : Math.round(audio / s.speechSecondsPerToken() * TEXT_BYTES_PER_TOKEN);
    }

    // ---- parameter access with clear errors ---------------------------------------------------------------

    private static TokenParams tokenParams(ModelSpec model) {
        LatencyParams law = model.law();
        if (law instanceof TokenParams t) {
            return t;
        }
        if (law instanceof VisionLanguageParams v) {
            return v.language();
        }
        throw wrongLaw(model, "a token (prefill/decode)");
    }

    private static VisionLanguageParams visionParams(ModelSpec model) {
        if (model.law() instanceof VisionLanguageParams v) {
            return v;
        }
        throw wrongLaw(model, "a vision-encoder");
    }

    private static DiffusionParams diffusionParams(ModelSpec model) {
        if (model.law() instanceof DiffusionParams d) {
            return d;
        }
        throw wrongLaw(model, "a diffusion");
    }

    private static SpeechParams speechParams(ModelSpec model) {
        if (model.law() instanceof SpeechParams s) {
            return s;
        }
        throw wrongLaw(model, "a speech");
    }

    private static IllegalArgumentException wrongLaw(ModelSpec model, String what) {
        return new IllegalArgumentException("model " + model.id() + " (" + model.modelClass() + ") has no "
                + what + " law");
    }
}
