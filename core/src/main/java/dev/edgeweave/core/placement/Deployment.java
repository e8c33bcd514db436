package dev.edgeweave.core.placement;

import java.util.Objects;

/**
 * One model held by one server: on which GPU, with how many batch slots, and its weight when it shares the
 * GPU with other deployments (processor sharing in proportion to the weights).
 *
 * @param modelId     catalog model id
 * @param gpuIndex    GPU of the server, from 0
 * @param concurrency batch slots, ≥ 1
 * @param shareWeight weight on a shared GPU, finite and &gt; 0; 1 for every deployment means equal shares
 */
public record Deployment(String modelId, int gpuIndex, int concurrency, double shareWeight) {

    /** A deployment with share weight 1. */
    public Deployment(String modelId, int gpuIndex, int concurrency) {
        this(modelId, gpuIndex, concurrency, 1.0);
    }

    public Deployment {
        Objects.requireNonNull(modelId, "modelId");
        if (gpuIndex < 0) {
            throw new IllegalArgumentException("gpuIndex must be >= 0, was " + gpuIndex);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        if (!(shareWeight > 0) || Double.isInfinite(shareWeight)) {
            throw new IllegalArgumentException("shareWeight must be finite and > 0, was " + shareWeight);
        }
    }
}
