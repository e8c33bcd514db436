package dev.edgeweave.core.latency;

/**
 * A predicted (or measured) end-to-end latency, term by term, in seconds.
 *
 * @param uplinkS    input transfer over the uplink
 * @param rttS       network round trip (request and response propagation)
 * @param queueS     waiting for a slot at the deployment
 * @param loadWaitS  waiting for the model to be loaded (0 when READY)
 * @param inferenceS the prompt's own inference
 * @param downlinkS  output transfer over the downlink
 */
public record LatencyBreakdown(
        double uplinkS,
        double rttS,
        double queueS,
        double loadWaitS,
        double inferenceS,
        double downlinkS) {

    /** The sum of the terms. */
    public double totalS() {
        return uplinkS + rttS + queueS + loadWaitS + inferenceS + downlinkS;
    }
}
