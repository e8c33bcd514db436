package dev.edgeweave.core.latency;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;

/**
 * Predicted end-to-end latency of a prompt at a candidate server (DESIGN "A prompt's life", step 2):
 *
 * <pre>
 *   uplink    = inputBytes · 8 / uplink bit/s
 *   rtt       = path RTT
 *   queue     = queueAhead · meanServiceSeconds / concurrency
 *   loadWait  = 0 (READY) | ETA (LOADING) | weightBytes / storage B/s + engineStart (COLD)
 *   inference = LatencyLaws.inferenceSeconds(model, gpu, size)
 *   downlink  = outputBytes · 8 / downlink bit/s
 * </pre>
 *
 * <p><b>Queue.</b> The deployment's {@code concurrency} slots each finish a prompt every
 * {@code meanServiceSeconds} on average, so the {@code queueAhead} prompts waiting ahead drain in
 * {@code queueAhead · meanService / concurrency}. This mean-value estimate ignores the residual time of the
 * prompts already in service (up to one {@code meanService / concurrency}), which a router can afford: it
 * errs the same way on every candidate. {@code meanServiceSeconds} comes from telemetry and so carries the
 * contention of batching and of other models on the GPU; the inference term is the batch-1 law, a lower
 * bound on a busy server.
 *
 * <p><b>Cost.</b> {@link #totalSeconds} allocates nothing; {@link #predict} allocates one
 * {@link LatencyBreakdown}. A router scoring ~100 servers for tens of thousands of prompts a second can call
 * {@code totalSeconds} per candidate and {@code predict} only for the one it picks.
 */
public final class LatencyModel {

    private LatencyModel() {
    }

    /** The breakdown of the predicted latency of {@code size} for {@code model} at {@code candidate}. */
    public static LatencyBreakdown predict(ModelSpec model, PromptSize size, Candidate candidate) {
        NetworkPath path = candidate.path();
        return new LatencyBreakdown(
                uplinkSeconds(size, path),
                path.rttSeconds(),
                queueSeconds(candidate),
                loadWaitSeconds(model, candidate),
                LatencyLaws.inferenceSeconds(model, candidate.gpu(), size),
                downlinkSeconds(model, size, path));
    }

    /** {@code predict(model, size, candidate).totalS()} without allocating. */
    public static double totalSeconds(ModelSpec model, PromptSize size, Candidate candidate) {
        NetworkPath path = candidate.path();
        return uplinkSeconds(size, path)
                + path.rttSeconds()
                + queueSeconds(candidate)
                + loadWaitSeconds(model, candidate)
                + LatencyLaws.inferenceSeconds(model, candidate.gpu(), size)
                + downlinkSeconds(model, size, path);
    }

    /** Seconds to send the prompt's input bytes over the path's uplink. */
    public static double uplinkSeconds(PromptSize size, NetworkPath path) {
        return size.inputBytes() * 8.0 / path.uplinkBitsPerSecond();
    }

    /** Seconds to send the estimated output back over the path's downlink. */
    public static double downlinkSeconds(ModelSpec model, PromptSize size, NetworkPath path) {
        return LatencyLaws.outputBytes(model, size) * 8.0 / path.downlinkBitsPerSecond();
    }

    /** Seconds waiting for a slot: {@code queueAhead · meanServiceSeconds / concurrency}. */
    public static double queueSeconds(Candidate c) {
        return c.queueAhead() * c.meanServiceSeconds() / c.concurrency();
    }

    /** Seconds until the model serves: 0 when READY, the ETA when LOADING, a full load when COLD. */
    public static double loadWaitSeconds(ModelSpec model, Candidate c) {
        DeploymentReadiness r = c.readiness();
        return switch (r.kind()) {
            case READY -> 0.0;
            case LOADING -> r.etaSeconds();
            case COLD -> LatencyLaws.loadSeconds(model, c.storageBytesPerSecond());
        };
    }
}
