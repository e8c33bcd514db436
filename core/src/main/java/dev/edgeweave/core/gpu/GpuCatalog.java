package dev.edgeweave.core.gpu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The GPU types edgeweave knows, and the <b>reference GPU</b> that slowdown is measured against.
 *
 * <p>{@link #standard()} holds the GPUs of {@code catalog-facts.md} §1, from the Jetson Orin NX (15 TFLOPS,
 * 102 GB/s) to the H100 SXM (989 TFLOPS, 3.35 TB/s): a city's edge is heterogeneous, and the spread is what
 * makes routing and placement matter.
 *
 * <p><b>Why {@code a100-40gb} is the reference GPU.</b> DESIGN "Evaluation" defines a prompt's slowdown as its
 * latency over its inference time alone on one fixed GPU type, the same for every scenario, so slowdowns of
 * different scenarios and classes can be compared and averaged. The A100 40GB is chosen because
 * (1) every model of the standard catalog fits in its memory, so every prompt has a reference time;
 * (2) it carries the most cited measurements (SDXL and SDXL-Turbo TensorRT, Llama-3.1-8B at 75 tok/s,
 * the Whisper leaderboard on the A100 80GB with the same 312 TFLOPS), so reference times rest on data rather
 * than on extrapolation; (3) it sits mid-range, so slowdowns on edge Jetsons are above 1 and on an H100
 * below 1, rather than all far on one side. A scenario need not contain the reference GPU.
 */
public final class GpuCatalog {

    /** The reference GPU of {@link #standard()}; see the class comment for why. */
    public static final String REFERENCE_GPU_ID = "a100-40gb";

    private static final long GB = 1_000_000_000L;

    private static final GpuCatalog STANDARD = new GpuCatalog(List.of(
            new GpuType("jetson-orin-nx-16gb", "NVIDIA Jetson Orin NX 16GB", 16 * GB, 15.0, 102.0,
                    "catalog-facts §1: Jetson Orin NX 16GB (16 GB LPDDR5 shared CPU+GPU, 102 GB/s); "
                            + "FP16 dense 15 TFLOPS [D] = (100 - 40 DLA) sparse TOPS / 4"),
            new GpuType("jetson-agx-orin-32gb", "NVIDIA Jetson AGX Orin 32GB", 32 * GB, 27.0, 204.8,
                    "catalog-facts §1: Jetson AGX Orin 32GB (32 GB shared, 204.8 GB/s); "
                            + "FP16 dense 27 TFLOPS [D] = 108 sparse TOPS / 4"),
            new GpuType("jetson-agx-orin-64gb", "NVIDIA Jetson AGX Orin 64GB", 64 * GB, 42.5, 204.8,
                    "catalog-facts §1: Jetson AGX Orin 64GB: memory / BW (64 GB shared, 204.8 GB/s); "
                            + "FP16 dense 42.5 TFLOPS [D] = 170 sparse INT8 TOPS / 2 (dense) / 2 (FP16)"),
            new GpuType("l4", "NVIDIA L4", 24 * GB, 121.0, 300.0,
                    "catalog-facts §1: NVIDIA L4 (24 GB GDDR6, 300 GB/s, FP16 242 sparse -> 121 dense TFLOPS)"),
            // A10G tensor TFLOPS is a gap of the facts. 125 is the A10's figure (same GA102 die), which the
            // facts flag as unverified and as higher than the A10G's: an upper bound, so compute-bound phases
            // on an A10G are predicted optimistically. Bandwidth (decode) is sourced.
            new GpuType("a10g", "NVIDIA A10G", 24 * GB, 125.0, 600.0,
                    "catalog-facts §1: NVIDIA A10G (24 GB GDDR6, 600 GB/s); FP16 125 TFLOPS dense [E] "
                            + "(A10 figure, unverified; A10G tensor throughput is lower, so an upper bound)"),
            new GpuType("rtx-4090", "NVIDIA GeForce RTX 4090", 24 * GB, 165.2, 1008.0,
                    "catalog-facts §1: RTX 4090 (24 GB GDDR6X, 1,008 GB/s, FP16 165.2 dense TFLOPS, FP32 accumulate)"),
            new GpuType("a100-40gb", "NVIDIA A100 40GB SXM", 40 * GB, 312.0, 1555.0,
                    "catalog-facts §1: A100 40GB SXM (40 GB HBM2, 1,555 GB/s, FP16 312 dense TFLOPS)"),
            new GpuType("a100-80gb", "NVIDIA A100 80GB SXM", 80 * GB, 312.0, 2039.0,
                    "catalog-facts §1: A100 80GB (80 GB HBM2e, 2,039 GB/s SXM, same 312 dense TFLOPS)"),
            new GpuType("h100-pcie", "NVIDIA H100 PCIe", 80 * GB, 756.0, 2000.0,
                    "catalog-facts §1: H100 PCIe (80 GB HBM2e, 2.0 TB/s); FP16 756 dense TFLOPS [D] = 1,513 sparse / 2"),
            new GpuType("h100-sxm", "NVIDIA H100 SXM", 80 * GB, 989.0, 3350.0,
                    "catalog-facts §1: H100 SXM (80 GB HBM3, 3.35 TB/s, FP16 989 dense TFLOPS)")),
            REFERENCE_GPU_ID);

    private final List<GpuType> gpus;
    private final Map<String, GpuType> byId;
    private final GpuType reference;

    /**
     * A catalog of {@code gpus} (ids unique) with {@code referenceGpuId} among them. Scenarios may build
     * their own; slowdowns are only comparable between catalogs with the same reference GPU.
     */
    public GpuCatalog(List<GpuType> gpus, String referenceGpuId) {
        Objects.requireNonNull(gpus, "gpus");
        Objects.requireNonNull(referenceGpuId, "referenceGpuId");
        Map<String, GpuType> map = new LinkedHashMap<>();
        for (GpuType gpu : gpus) {
            Objects.requireNonNull(gpu, "gpu");
            if (map.putIfAbsent(gpu.id(), gpu) != null) {
                throw new IllegalArgumentException("duplicate GPU id '" + gpu.id() + "' in the GPU catalog");
            }
        }
        this.gpus = List.copyOf(gpus);
        this.byId = Collections.unmodifiableMap(map);
        this.reference = map.get(referenceGpuId);
        if (reference == null) {
            throw new IllegalArgumentException("reference GPU '" + referenceGpuId
                    + "' is not in the catalog; known GPUs: " + map.keySet());
        }
    }

    /** The GPUs of catalog-facts §1, with {@code a100-40gb} as the reference. */
    public static GpuCatalog standard() {
        return STANDARD;
    }

    /** The GPU with this id, if known. */
    public Optional<GpuType> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The GPU with this id; an {@link IllegalArgumentException} naming the id and the known ids otherwise. */
    public GpuType require(String id) {
        GpuType gpu = byId.get(id);
        if (gpu == null) {
            throw new IllegalArgumentException("unknown GPU type '" + id + "'; known GPU types: " + ids());
        }
        return gpu;
    }

    /** Every GPU, in catalog order (smallest edge modules first). */
    public List<GpuType> gpus() {
        return gpus;
    }

    /** The ids of every GPU, in catalog order. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** The GPU whose batch-1 inference time is a prompt's slowdown denominator. */
    public GpuType referenceGpu() {
        return reference;
    }
}
