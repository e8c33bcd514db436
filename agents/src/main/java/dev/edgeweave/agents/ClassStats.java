package dev.edgeweave.agents;

/**
 * One class's service in the last window: numbers only.
 *
 * @param count              prompts that ended in the window (completed or rejected)
 * @param meanLatencySeconds mean end-to-end latency, a rejection counting at its SLO
 * @param meanSlowdown       mean latency / inference alone on the reference GPU
 * @param p95LatencySeconds  95th percentile latency
 */
public record ClassStats(long count, double meanLatencySeconds, double meanSlowdown, double p95LatencySeconds) {
}
