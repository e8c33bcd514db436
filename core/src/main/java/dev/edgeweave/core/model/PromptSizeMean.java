package dev.edgeweave.core.model;

/**
 * The mean of many prompts' sizes, field by field: the "typical prompt" a placement plans a model's work
 * for. Counts round to whole tokens, images, steps and bytes; audio seconds stay fractional.
 */
public final class PromptSizeMean {

    private double inputTokens;
    private double images;
    private double imagePixels;
    private double audioSeconds;
    private double outputTokens;
    private double steps;
    private double outputPixels;
    private double inputBytes;
    private long count;

    public void add(PromptSize z) {
        inputTokens += z.inputTokens();
        images += z.images();
        imagePixels += z.imagePixels();
        audioSeconds += z.audioSeconds();
        outputTokens += z.outputTokens();
        steps += z.steps();
        outputPixels += z.outputPixels();
        inputBytes += z.inputBytes();
        count++;
    }

    /** Adds every prompt of {@code other} to this mean (partial means merge exactly: they are sums). */
    public void addAll(PromptSizeMean other) {
        inputTokens += other.inputTokens;
        images += other.images;
        imagePixels += other.imagePixels;
        audioSeconds += other.audioSeconds;
        outputTokens += other.outputTokens;
        steps += other.steps;
        outputPixels += other.outputPixels;
        inputBytes += other.inputBytes;
        count += other.count;
    }

    /** {@code a} with {@code b}'s prompts added (for map merges); changes and returns {@code a}. */
    public static PromptSizeMean merged(PromptSizeMean a, PromptSizeMean b) {
        a.addAll(b);
        return a;
    }

    public long count() {
        return count;
    }

    /**
     * The mean prompt.
     *
     * @throws IllegalStateException when nothing was added
     */
    public PromptSize mean() {
        if (count == 0) {
            throw new IllegalStateException("no prompt sizes to average");
        }
        double n = count;
        return new PromptSize((int) Math.round(inputTokens / n), (int) Math.round(images / n),
                Math.round(imagePixels / n), audioSeconds / n, (int) Math.round(outputTokens / n),
                (int) Math.round(steps / n), Math.round(outputPixels / n), Math.round(inputBytes / n));
    }
}
