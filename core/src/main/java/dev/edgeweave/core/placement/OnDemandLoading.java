package dev.edgeweave.core.placement;

import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.server.DeploymentStatus;
import dev.edgeweave.core.server.DeploymentView;
import dev.edgeweave.core.server.EmulatedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Ollama-style on-demand placement, the {@code ondemand} variant every baseline is evaluated with: a model
 * loads on a server the first time a prompt for it arrives there; a model idle for {@code keep_alive}
 * unloads; when memory is short for a load, the least recently used idle models are evicted first
 * (Ollama's scheduler: {@code OLLAMA_KEEP_ALIVE}, 5 minutes by default, catalog-facts §7).
 *
 * <p>"Idle" means READY with nothing queued or running and nothing on its way to it ({@code inUse} tells the
 * last, since prompts in transit are the caller's knowledge).
 */
public final class OnDemandLoading {

    /** Ollama's default keep_alive, seconds. */
    public static final double KEEP_ALIVE_SECONDS = 300.0;

    private OnDemandLoading() {
    }

    /**
     * The GPU {@code m} could be loaded on, counting the memory of idle deployments as free; -1 when none.
     * Changes nothing.
     */
    public static int reclaimableGpu(EmulatedServer server, ModelSpec m, Predicate<DeploymentView> inUse) {
        int fits = server.bestFitGpu(m);
        if (fits >= 0) {
            return fits;
        }
        for (int g = 0; g < server.gpuCount(); g++) {
            long reclaimable = server.freeMemoryBytes(g);
            for (DeploymentView d : server.deployments()) {
                if (d.gpuIndex() == g && idle(d, inUse)) {
                    reclaimable += d.memoryBytes();
                }
            }
            if (reclaimable >= m.memoryBytes()) {
                return g;
            }
        }
        return -1;
    }

    /**
     * Makes room for {@code m}: evicts the least recently used idle deployments of one GPU until it fits.
     *
     * @return the GPU to load {@code m} on, or -1 when no GPU can make room (nothing was evicted then)
     */
    public static int makeRoom(EmulatedServer server, ModelSpec m, Predicate<DeploymentView> inUse) {
        int gpu = reclaimableGpu(server, m, inUse);
        if (gpu < 0 || server.freeMemoryBytes(gpu) >= m.memoryBytes()) {
            return gpu;
        }
        List<DeploymentView> idle = new ArrayList<>();
        for (DeploymentView d : server.deployments()) {
            if (d.gpuIndex() == gpu && idle(d, inUse)) {
                idle.add(d);
            }
        }
        idle.sort((a, b) -> Double.compare(a.lastUsedAt(), b.lastUsedAt()));
        for (DeploymentView d : idle) {
            if (server.freeMemoryBytes(gpu) >= m.memoryBytes()) {
                break;
            }
            server.unload(d.modelId());
        }
        return gpu;
    }

    /** The models idle on {@code server} for at least keep_alive at {@code now}, to unload. */
    public static List<String> expired(EmulatedServer server, double now, Predicate<DeploymentView> inUse) {
        List<String> out = new ArrayList<>();
        for (DeploymentView d : server.deployments()) {
            if (idle(d, inUse) && now - d.lastUsedAt() >= KEEP_ALIVE_SECONDS) {
                out.add(d.modelId());
            }
        }
        return out;
    }

    private static boolean idle(DeploymentView d, Predicate<DeploymentView> inUse) {
        return d.status() == DeploymentStatus.READY && d.queued() == 0 && d.running() == 0 && !inUse.test(d);
    }
}
