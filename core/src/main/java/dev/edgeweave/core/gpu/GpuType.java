package dev.edgeweave.core.gpu;

import java.util.Objects;

/**
 * One kind of GPU, described by the three numbers the latency laws use: memory, dense FP16 compute and
 * memory bandwidth. A server holds one or more of these.
 *
 * <p>Units follow the vendor sheets quoted in {@code catalog-facts.md}: memory in decimal bytes (a "40 GB"
 * card is 40·10⁹ B here; the real HBM is 40 GiB, so placement is about 7% conservative), compute in dense
 * (not sparse) FP16/BF16 tensor TFLOPS, bandwidth in GB/s (10⁹ B/s).
 *
 * @param id                  stable id, lower-case with dashes, e.g. {@code a100-40gb}
 * @param name                display name
 * @param memoryBytes         device memory in bytes (for Jetson modules: the memory shared by CPU and GPU)
 * @param fp16Tflops          dense FP16/BF16 tensor TFLOPS: the compute-bound laws divide work by it
 * @param memoryBandwidthGBps memory bandwidth in GB/s: the bandwidth-bound decode law divides bytes by it
 * @param source              where the figures come from (catalog-facts section and row; [D] derived, [E] estimate)
 */
public record GpuType(
        String id,
        String name,
        long memoryBytes,
        double fp16Tflops,
        double memoryBandwidthGBps,
        String source) {

    public GpuType {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        if (id.isBlank()) {
            throw new IllegalArgumentException("GPU id must not be blank");
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("GPU " + id + ": memoryBytes must be > 0, was " + memoryBytes);
        }
        if (!(fp16Tflops > 0) || Double.isInfinite(fp16Tflops)) {
            throw new IllegalArgumentException("GPU " + id + ": fp16Tflops must be finite and > 0, was " + fp16Tflops);
        }
        if (!(memoryBandwidthGBps > 0) || Double.isInfinite(memoryBandwidthGBps)) {
            throw new IllegalArgumentException(
                    "GPU " + id + ": memoryBandwidthGBps must be finite and > 0, was " + memoryBandwidthGBps);
        }
    }

    /** Dense FP16 compute in FLOP/s. */
    public double flopsPerSecond() {
        return fp16Tflops * 1e12;
    }

    /** Memory bandwidth in bytes/s. */
    public double bandwidthBytesPerSecond() {
        return memoryBandwidthGBps * 1e9;
    }

    /** True when a figure of this GPU is an estimate ([E]) rather than read from a source or derived. */
    public boolean hasEstimatedFigures() {
        return source.contains("[E]");
    }
}
