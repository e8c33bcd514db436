package dev.edgeweave.testbed.bench;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A placement as the servers' connectors would report it on {@code node-state} once every model is loaded:
 * one {@link NodeState} per server, every placed deployment READY with the placement's GPU, concurrency and
 * share weight, idle (nothing queued or running, no service time measured yet), and each GPU's used memory
 * the sum of the models placed on it.
 */
public final class PlacementStates {

    private PlacementStates() {
    }

    /**
     * The states of {@code servers} under {@code placement}.
     *
     * @param heartbeatAt the heartbeat time of every state (the scheduler's clock must be within its
     *                    heartbeat timeout of it, or every server looks down)
     * @param sequence    the sequence number of every state; a higher one replaces a lower one
     */
    public static List<NodeState> of(List<EdgeServer> servers, Placement placement, ModelCatalog models,
                                     Instant heartbeatAt, long sequence) {
        List<NodeState> out = new ArrayList<>(servers.size());
        for (EdgeServer server : servers) {
            List<Deployment> placed = placement.deploymentsOf(server.id());
            long[] used = new long[server.gpus().size()];
            List<DeploymentState> deployments = new ArrayList<>(placed.size());
            for (Deployment d : placed) {
                long memory = models.require(d.modelId()).memoryBytes();
                used[d.gpuIndex()] += memory;
                deployments.add(DeploymentState.newBuilder().setModelId(d.modelId()).setGpuIndex(d.gpuIndex())
                        .setStatus(DeploymentStatus.READY).setReadyAt(null).setConcurrency(d.concurrency())
                        .setQueued(0).setRunning(0).setMeanServiceSeconds(0).setMemoryBytes(memory)
                        .setShareWeight(d.shareWeight()).build());
            }
            List<GpuState> gpus = new ArrayList<>(used.length);
            for (int g = 0; g < used.length; g++) {
                GpuType type = server.gpus().get(g);
                gpus.add(GpuState.newBuilder().setIndex(g).setGpuType(type.id()).setMemoryBytes(type.memoryBytes())
                        .setMemoryUsedBytes(used[g]).setUtilisation(0).build());
            }
            out.add(NodeState.newBuilder().setNodeId(server.id()).setSiteId(server.siteId())
                    .setHeartbeatAt(heartbeatAt).setSequence(sequence)
                    .setStorageBytesPerSecond(server.storageBytesPerSecond()).setGpus(gpus)
                    .setDeployments(deployments).setDraining(false).build());
        }
        return out;
    }
}
