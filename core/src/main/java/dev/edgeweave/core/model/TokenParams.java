package dev.edgeweave.core.model;

import java.util.Objects;

/**
 * Parameters of the autoregressive text law (chat, and the language half of vision-language).
 *
 * <p>Prefill costs {@code 2·parameters} FLOP per prompt token, run at {@code prefillEfficiency} of the GPU's
 * dense FP16 peak; decode streams the language model's weights (plus the KV cache so far) from memory once
 * per output token, at {@code decodeEfficiency} of the memory bandwidth. The parameter count is independent
 * of precision (a 4-bit 8B model still does 16 GFLOP a token), while the streamed bytes are not, which is why
 * the two are separate.
 *
 * @param parameters          language-model parameters (sets prefill FLOP per token)
 * @param kvBytesPerToken     KV-cache bytes per context token (FP16), read once per decode step
 * @param prefillEfficiency   η of prefill: achieved / peak dense FP16 FLOP/s, in (0, 1]
 * @param decodeEfficiency    η of decode: achieved / peak memory bandwidth, in (0, 1]
 * @param defaultOutputTokens output tokens assumed when a prompt does not say (requested 0)
 * @param batching            aggregate decode speed-up with concurrent streams
 */
public record TokenParams(
        double parameters,
        long kvBytesPerToken,
        double prefillEfficiency,
        double decodeEfficiency,
        int defaultOutputTokens,
        BatchScaling batching) implements LatencyParams {

    public TokenParams {
        LatencyParams.positive("parameters", parameters);
        LatencyParams.nonNegative("kvBytesPerToken", kvBytesPerToken);
        LatencyParams.efficiency("prefillEfficiency", prefillEfficiency);
        LatencyParams.efficiency("decodeEfficiency", decodeEfficiency);
        if (defaultOutputTokens < 1) {
            throw new IllegalArgumentException("defaultOutputTokens must be >= 1, was " + defaultOutputTokens);
        }
        Objects.requireNonNull(batching, "batching");
    }

    /** Prefill work per prompt token: 2 FLOP per parameter (one multiply-add per weight). */
    public double prefillFlopsPerToken() {
        return 2 * parameters;
    }

    @Override
    public boolean fits(ModelClass modelClass) {
        return modelClass == ModelClass.CHAT;
    }
}
