package dev.edgeweave.core.model;

/**
 * The sizes of a prompt: everything routing and latency prediction look at (never the content).
 *
 * @param inputTokens  text tokens in the prompt (for speech synthesis: the text to speak)
 * @param images       images attached (vision-language)
 * @param imagePixels  pixels per attached image (width × height of the largest)
 * @param audioSeconds seconds of input audio (speech recognition)
 * @param outputTokens requested output tokens (chat, vision-language)
 * @param steps        requested diffusion steps (image generation)
 * @param outputPixels pixels of the image to generate (image generation)
 * @param inputBytes   bytes of the content sent over the uplink (text, image or audio payload)
 */
public record PromptSize(
        int inputTokens,
        int images,
        long imagePixels,
        double audioSeconds,
        int outputTokens,
        int steps,
        long outputPixels,
        long inputBytes) {

    public PromptSize {
        requireNonNegative("inputTokens", inputTokens);
        requireNonNegative("images", images);
        requireNonNegative("imagePixels", imagePixels);
        if (!(audioSeconds >= 0) || Double.isInfinite(audioSeconds)) {
            throw new IllegalArgumentException("audioSeconds must be a finite number >= 0, was " + audioSeconds);
        }
        requireNonNegative("outputTokens", outputTokens);
        requireNonNegative("steps", steps);
        requireNonNegative("outputPixels", outputPixels);
        requireNonNegative("inputBytes", inputBytes);
    }

    /** A text-only prompt: {@code inputTokens} in, {@code outputTokens} out, about 4 bytes a token on the wire. */
    public static PromptSize text(int inputTokens, int outputTokens) {
        return new PromptSize(inputTokens, 0, 0, 0, outputTokens, 0, 0, 4L * inputTokens);
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
    }
}
