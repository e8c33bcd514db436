package dev.edgeweave.core.model;

import java.util.Objects;

/**
 * Parameters of the speech law (recognition and synthesis): a measured real-time factor, scaled to another
 * GPU by its compute. On a GPU of {@code F} TFLOPS, processing {@code a} seconds of audio takes
 * {@code (fixedSeconds + a / realtimeFactor) · (anchorTflops / F)^computeExponent}.
 *
 * <p>{@code computeExponent} is 1 for a model that is compute-bound end to end; small models such as an
 * 82M-parameter TTS are bound by kernel launches and host work as much as by FLOPs, and gain less than
 * linearly from a bigger GPU (exponent &lt; 1).
 *
 * @param realtimeFactor        RTFx (audio seconds per processing second) measured on the anchor GPU
 * @param anchorTflops          dense FP16 TFLOPS of the GPU the real-time factor was measured on
 * @param computeExponent       how strongly speed follows compute, in (0, 1]
 * @param fixedSeconds          per-prompt overhead on the anchor GPU (audio front end, first window)
 * @param speechSecondsPerToken seconds of speech per text token: the audio a TTS prompt produces, and the
 *                              transcript length of an ASR prompt
 * @param batching              aggregate audio-seconds/s gain with concurrent prompts
 */
public record SpeechParams(
        double realtimeFactor,
        double anchorTflops,
        double computeExponent,
        double fixedSeconds,
        double speechSecondsPerToken,
        BatchScaling batching) implements LatencyParams {

    public SpeechParams {
        LatencyParams.positive("realtimeFactor", realtimeFactor);
        LatencyParams.positive("anchorTflops", anchorTflops);
        LatencyParams.efficiency("computeExponent", computeExponent);
        LatencyParams.nonNegative("fixedSeconds", fixedSeconds);
        LatencyParams.positive("speechSecondsPerToken", speechSecondsPerToken);
        Objects.requireNonNull(batching, "batching");
    }

    @Override
    public boolean fits(ModelClass modelClass) {
        return modelClass == ModelClass.SPEECH_RECOGNITION || modelClass == ModelClass.SPEECH_SYNTHESIS;
    }
}
