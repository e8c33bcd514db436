package dev.edgeweave.core.model;

/**
 * The calibrated parameters of one model's latency law. There is one kind per family of laws, and
 * {@link ModelSpec} checks that a model's kind fits its {@link ModelClass}:
 * <ul>
 *   <li>{@link TokenParams}: chat (compute-bound prefill, bandwidth-bound decode);</li>
 *   <li>{@link VisionLanguageParams}: vision-language (a compute-bound vision encoder, then the chat law);</li>
 *   <li>{@link DiffusionParams}: image generation (compute-bound denoising steps plus a fixed part);</li>
 *   <li>{@link SpeechParams}: speech recognition and synthesis (a real-time factor scaled by compute).</li>
 * </ul>
 * The records hold numbers only; the laws themselves are in {@code dev.edgeweave.core.latency.LatencyLaws},
 * one place, so the emulated server, the router and the testbed cannot disagree on them.
 */
public sealed interface LatencyParams permits TokenParams, VisionLanguageParams, DiffusionParams, SpeechParams {

    /** How aggregate throughput grows with concurrent prompts on one deployment. */
    BatchScaling batching();

    /** Whether these parameters describe a law for {@code modelClass}. */
    boolean fits(ModelClass modelClass);

    /** A finite, strictly positive value or an exception naming it. */
    static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, was " + value);
        }
        return value;
    }

    /** A finite value ≥ 0 or an exception naming it. */
    static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0, was " + value);
        }
        return value;
    }

    /** An efficiency in (0, 1] or an exception naming it. */
    static double efficiency(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1], was " + value);
        }
        return value;
    }
}
