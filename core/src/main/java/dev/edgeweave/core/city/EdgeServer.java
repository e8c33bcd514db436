package dev.edgeweave.core.city;

import dev.edgeweave.core.gpu.GpuType;
import java.util.List;
import java.util.Objects;

/**
 * An edge GPU server at a site.
 *
 * @param id                    unique id in the city (also its node id)
 * @param siteId                the site it stands at
 * @param gpus                  its GPUs, at least one; may mix types
 * @param storageBytesPerSecond read bandwidth for loading weights; {@link #DEFAULT_STORAGE_BYTES_PER_SECOND}
 *                              unless a scenario knows better
 */
public record EdgeServer(String id, String siteId, List<GpuType> gpus, double storageBytesPerSecond) {

    /**
     * Safetensors read from disk by vLLM: 12.66 GiB in 24.8 s ≈ 0.5 GB/s [D] (catalog-facts §7). Warm page
     * cache or GPUDirect Storage are far faster (§7: 3.42 GiB in 0.69 s; up to 26.4 GB/s), so this is the
     * honest cold case, the one a router must plan for.
     */
    public static final double DEFAULT_STORAGE_BYTES_PER_SECOND = 0.5e9;

    public EdgeServer {
        City.requireId(id, "edge server");
        Objects.requireNonNull(siteId, "siteId of edge server " + id);
        Objects.requireNonNull(gpus, "gpus of edge server " + id);
        if (gpus.isEmpty()) {
            throw new IllegalArgumentException("edge server " + id + " has no GPU");
        }
        gpus = List.copyOf(gpus);
        if (!(storageBytesPerSecond > 0) || Double.isInfinite(storageBytesPerSecond)) {
            throw new IllegalArgumentException("edge server " + id
                    + ": storageBytesPerSecond must be finite and > 0, was " + storageBytesPerSecond);
        }
    }

    /** A server with the default storage bandwidth. */
    public EdgeServer(String id, String siteId, List<GpuType> gpus) {
        this(id, siteId, gpus, DEFAULT_STORAGE_BYTES_PER_SECOND);
    }

    /** Memory of all its GPUs together. */
    public long totalMemoryBytes() {
        long sum = 0;
        for (GpuType gpu : gpus) {
            sum += gpu.memoryBytes();
        }
        return sum;
    }
}
