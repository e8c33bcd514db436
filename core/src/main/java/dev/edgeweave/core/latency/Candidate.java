package dev.edgeweave.core.latency;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;

/**
 * One server the router could send a prompt to, with what the latency prediction needs to know about it:
 * the GPU the model runs (or would run) on, the network path from the prompt's access point, whether the
 * model is there, and its queue.
 *
 * @param serverId              the server
 * @param gpu                   the GPU the deployment runs on (for COLD: the GPU it would be loaded on)
 * @param path                  network path from the prompt's access point to the server (measured or default)
 * @param readiness             READY, LOADING with ETA, or COLD
 * @param queueAhead            prompts waiting at that deployment for a slot, not counting those in service
 * @param meanServiceSeconds    recent mean service time of one prompt at that deployment (telemetry)
 * @param concurrency           prompts the deployment serves at once (≥ 1)
 * @param storageBytesPerSecond the server's storage read bandwidth, for a cold load
 */
public record Candidate(
        String serverId,
        GpuType gpu,
        NetworkPath path,
        DeploymentReadiness readiness,
        int queueAhead,
        double meanServiceSeconds,
        int concurrency,
        double storageBytesPerSecond) {

    public Candidate {
        if (serverId == null || gpu == null || path == null || readiness == null) {
            throw new IllegalArgumentException("serverId, gpu, path and readiness must not be null (server "
                    + serverId + ")");
        }
        if (queueAhead < 0) {
            throw new IllegalArgumentException("server " + serverId + ": queueAhead must be >= 0, was " + queueAhead);
        }
        if (!(meanServiceSeconds >= 0) || Double.isInfinite(meanServiceSeconds)) {
            throw new IllegalArgumentException("server " + serverId
                    + ": meanServiceSeconds must be finite and >= 0, was " + meanServiceSeconds);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("server " + serverId + ": concurrency must be >= 1, was " + concurrency);
        }
        if (!(storageBytesPerSecond > 0)) {
            throw new IllegalArgumentException("server " + serverId
                    + ": storageBytesPerSecond must be > 0, was " + storageBytesPerSecond);
        }
    }
}
