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
