package dev.edgeweave.core.placement;

import java.util.Objects;

/**
 * One model held by one server: on which GPU and with how many batch slots.
 *
 * @param modelId     catalog model id
 * @param gpuIndex    GPU of the server, from 0
 * @param concurrency batch slots, ≥ 1
 */
public record Deployment(String modelId, int gpuIndex, int concurrency) {

    public Deployment {
        Objects.requireNonNull(modelId, "modelId");
        if (gpuIndex < 0) {
            throw new IllegalArgumentException("gpuIndex must be >= 0, was " + gpuIndex);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
    }
}
