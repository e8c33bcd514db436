package dev.edgeweave.core.model;

import java.util.Objects;

/**
 * Parameters of the vision-language law: a compute-bound vision encoder turns each image into image tokens,
 * which then join the text in the language model's prefill (the {@link TokenParams} law).
 *
 * @param language                 the language model's text law (prefill, decode, batching)
 * @param visionEncoderBytes       bytes of the vision encoder's weights: part of the model's weights, but not
 *                                 streamed by decode
 * @param visionFlopsPerImageToken encoder work per image token
 * @param pixelsPerImageToken      input pixels that become one image token
 * @param minImageTokens           fewest image tokens per image (small images are upscaled)
 * @param maxImageTokens           most image tokens per image (large images are downscaled)
 * @param visionEfficiency         η of the encoder: achieved / peak dense FP16 FLOP/s, in (0, 1]
 */
public record VisionLanguageParams(
        TokenParams language,
        long visionEncoderBytes,
        double visionFlopsPerImageToken,
        double pixelsPerImageToken,
        int minImageTokens,
        int maxImageTokens,
        double visionEfficiency) implements LatencyParams {

    public VisionLanguageParams {
        Objects.requireNonNull(language, "language");
        LatencyParams.nonNegative("visionEncoderBytes", visionEncoderBytes);
        LatencyParams.positive("visionFlopsPerImageToken", visionFlopsPerImageToken);
        LatencyParams.positive("pixelsPerImageToken", pixelsPerImageToken);
        if (minImageTokens < 1 || maxImageTokens < minImageTokens) {
            throw new IllegalArgumentException("image tokens must satisfy 1 <= min <= max, were min "
                    + minImageTokens + ", max " + maxImageTokens);
        }
        LatencyParams.efficiency("visionEfficiency", visionEfficiency);
    }

    @Override
    public BatchScaling batching() {
        return language.batching();
    }

    @Override
    public boolean fits(ModelClass modelClass) {
        return modelClass == ModelClass.VISION_LANGUAGE;
    }
}
