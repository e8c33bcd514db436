package dev.edgeweave.scheduler;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.NodeState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One server as the router sees it, decoded once per {@code node-state} record rather than once per prompt:
 * its GPUs' types and free memory, and its deployments by model.
 */
final class NodeView {

    final String id;
    final long heartbeatMillis;
    final long sequence;
    final boolean draining;
    final double storageBytesPerSecond;
    final GpuType[] gpuTypes;
    final long[] freeMemory;
    final double[] utilisation;
    final Map<String, DeploymentState> byModel = new HashMap<>();
    /** {@link #byModel}'s keys, interned, and its values: what {@link #deployment} scans. */
    private final String[] modelIds;
    private final DeploymentState[] modelDeployments;
    final List<DeploymentState> deployments;
    final int inFlight;
    final double memoryUtilisation;

    private NodeView(NodeState state, GpuType[] types) {
        this.id = state.getNodeId();
        this.heartbeatMillis = state.getHeartbeatAt().toEpochMilli();
        this.sequence = state.getSequence();
        this.draining = state.getDraining();
        this.storageBytesPerSecond = state.getStorageBytesPerSecond();
        this.gpuTypes = types;
        List<GpuState> gpus = state.getGpus();
        freeMemory = new long[gpus.size()];
        utilisation = new double[gpus.size()];
        long total = 0;
        long used = 0;
        for (GpuState g : gpus) {
            freeMemory[g.getIndex()] = g.getMemoryBytes() - g.getMemoryUsedBytes();
            utilisation[g.getIndex()] = g.getUtilisation();
            total += g.getMemoryBytes();
            used += g.getMemoryUsedBytes();
        }
        memoryUtilisation = total == 0 ? 0 : (double) used / total;
        deployments = List.copyOf(state.getDeployments());
        int flight = 0;
        for (DeploymentState d : deployments) {
            byModel.put(d.getModelId(), d);
            flight += d.getQueued() + d.getRunning();
        }
        inFlight = flight;
        modelIds = new String[byModel.size()];
        modelDeployments = new DeploymentState[byModel.size()];
        int k = 0;
        for (Map.Entry<String, DeploymentState> e : byModel.entrySet()) {
            modelIds[k] = e.getKey().intern();
            modelDeployments[k++] = e.getValue();
        }
    }

    /**
     * The deployment of a model, or null: {@code byModel.get}, for an id passed {@link String#intern()}ed. A
     * router asks every server per prompt; comparing a handful of references in one array is cheaper than a
     * hash look-up whose table, entry and key strings are scattered in memory.
     */
    DeploymentState deployment(String internedModelId) {
        for (int k = 0; k < modelIds.length; k++) {
            if (modelIds[k] == internedModelId) {
                return modelDeployments[k];
            }
        }
        return null;
    }

    /**
     * The view of {@code state}.
     *
     * @throws IllegalArgumentException for a GPU type the catalog lacks, or GPU indices that are not 0..n-1
     */
    static NodeView of(NodeState state, GpuCatalog gpus) {
        List<GpuState> list = state.getGpus();
        GpuType[] types = new GpuType[list.size()];
        for (GpuState g : list) {
            if (g.getIndex() < 0 || g.getIndex() >= types.length || types[g.getIndex()] != null) {
                throw new IllegalArgumentException("node " + state.getNodeId() + " reports GPU index " + g.getIndex()
                        + " out of 0.." + (types.length - 1) + " or twice");
            }
            types[g.getIndex()] = gpus.find(g.getGpuType()).orElseThrow(() -> new IllegalArgumentException(
                    "node " + state.getNodeId() + " reports unknown GPU type '" + g.getGpuType() + "'"));
        }
        for (DeploymentState d : state.getDeployments()) {
            if (d.getGpuIndex() < 0 || d.getGpuIndex() >= types.length) {
                throw new IllegalArgumentException("node " + state.getNodeId() + " deploys " + d.getModelId()
                        + " on GPU " + d.getGpuIndex() + ", which it does not report");
            }
        }
        return new NodeView(state, types);
    }

    boolean fresh(Instant now, long timeoutMillis) {
        return now.toEpochMilli() - heartbeatMillis <= timeoutMillis;
    }

    /** The GPU with the least free memory that still fits {@code bytes} (best fit), or -1. */
    int bestFitGpu(long bytes) {
        int best = -1;
        for (int g = 0; g < freeMemory.length; g++) {
            if (freeMemory[g] >= bytes && (best < 0 || freeMemory[g] < freeMemory[best])) {
                best = g;
            }
        }
        return best;
    }

    /** The share of GPU {@code g} a deployment of weight {@code own} gets among those running there. */
    double share(int g, DeploymentState self, double own) {
        double total = own;
        for (DeploymentState d : deployments) {
            if (d != self && d.getGpuIndex() == g && d.getRunning() > 0) {
                total += d.getShareWeight();
            }
        }
        return own / total;
    }
}
