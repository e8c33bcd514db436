package dev.edgeweave.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The largest prompt a model accepts. A size beyond a limit makes the prompt {@code INVALID}.
 * A limit of 0 means the model takes none of that input (a chat model takes no images).
 */
public record ModelLimits(
        int maxInputTokens,
        int maxImages,
        long maxImagePixels,
        double maxAudioSeconds,
        int maxOutputTokens,
        int maxSteps,
        long maxOutputPixels) {

    /** One size of a prompt that is over its model's limit, named by the {@link PromptSize} component. */
    public record Violation(String field, double value, double limit) {
        @Override
        public String toString() {
            return field + " " + format(value) + " exceeds the model's limit " + format(limit);
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** Every size of {@code size} that is over a limit, in component order; empty when the prompt fits. */
    public List<Violation> violations(PromptSize size) {
        List<Violation> out = new ArrayList<>();
        check(out, "inputTokens", size.inputTokens(), maxInputTokens);
        check(out, "images", size.images(), maxImages);
        if (size.images() > 0) {
            check(out, "imagePixels", size.imagePixels(), maxImagePixels);
        }
        check(out, "audioSeconds", size.audioSeconds(), maxAudioSeconds);
        check(out, "outputTokens", size.outputTokens(), maxOutputTokens);
        check(out, "steps", size.steps(), maxSteps);
        check(out, "outputPixels", size.outputPixels(), maxOutputPixels);
        return out;
    }

    private static void check(List<Violation> out, String field, double value, double limit) {
        if (value > limit) {
            out.add(new Violation(field, value, limit));
        }
    }
}
