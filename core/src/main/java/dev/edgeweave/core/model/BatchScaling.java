package dev.edgeweave.core.model;

/**
 * How a deployment's aggregate throughput grows when it serves several prompts at once.
 *
 * <p>The law (in {@code LatencyLaws.aggregateSpeedup}) is {@code m / (1 + alpha·(m − 1))} with
 * {@code m = min(concurrency, knee)}: linear at small batches (alpha → 0), saturating towards {@code 1/alpha},
 * and flat past the knee. The form is a one-parameter curve that passes through 1 at batch 1, which the
 * cited concurrency sweeps (catalog-facts §2: L4, A100, AGX Orin, H100) fit within ±30%. The knee caps what
 * one deployment can gain from batching; beyond it, more concurrency only adds queueing inside the engine.
 *
 * @param alpha how fast the gain saturates, in [0, 1]: 0 = perfectly linear, 1 = no gain from batching
 * @param knee  the concurrency beyond which aggregate throughput stops growing, ≥ 1
 */
public record BatchScaling(double alpha, int knee) {

    public BatchScaling {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], was " + alpha);
        }
        if (knee < 1) {
            throw new IllegalArgumentException("knee must be >= 1, was " + knee);
        }
    }

    /** No gain from serving prompts together (one at a time is as fast as it gets). */
    public static final BatchScaling NONE = new BatchScaling(1.0, 1);
}
