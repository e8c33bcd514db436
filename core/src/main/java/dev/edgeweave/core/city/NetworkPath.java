package dev.edgeweave.core.city;

/**
 * The network between a prompt's entry point (an access point, or a server handing a prompt on) and a
 * server, as the latency prediction sees it.
 *
 * @param rttSeconds            round-trip time
 * @param uplinkBitsPerSecond   bandwidth towards the server (may be infinite for a server's path to itself)
 * @param downlinkBitsPerSecond bandwidth back from the server (may be infinite likewise)
 * @param measured              true when it comes from live telemetry ({@code LinkSample}), false for the
 *                              distance-based default
 */
public record NetworkPath(double rttSeconds, double uplinkBitsPerSecond, double downlinkBitsPerSecond,
                          boolean measured) {

    /** A server's path to itself: nothing to send over a network. */
    public static final NetworkPath LOOPBACK =
            new NetworkPath(0.0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, false);

    /**
     * A link measured down (no probe answered, e.g. a partition): no prompt is routed over it. Compared by
     * identity; its figures mean nothing.
     */
    public static final NetworkPath UNREACHABLE = new NetworkPath(0.0, 1, 1, true);

    public NetworkPath {
        if (!(rttSeconds >= 0) || Double.isInfinite(rttSeconds)) {
            throw new IllegalArgumentException("rttSeconds must be finite and >= 0, was " + rttSeconds);
        }
        if (!(uplinkBitsPerSecond > 0)) {
            throw new IllegalArgumentException("uplinkBitsPerSecond must be > 0, was " + uplinkBitsPerSecond);
        }
        if (!(downlinkBitsPerSecond > 0)) {
            throw new IllegalArgumentException("downlinkBitsPerSecond must be > 0, was " + downlinkBitsPerSecond);
        }
    }

    /** Whether prompts can cross it: false only for {@link #UNREACHABLE}. */
    public boolean reachable() {
        return this != UNREACHABLE;
    }

    /** A measured path (from telemetry). */
    public static NetworkPath measured(double rttSeconds, double uplinkBitsPerSecond, double downlinkBitsPerSecond) {
        return new NetworkPath(rttSeconds, uplinkBitsPerSecond, downlinkBitsPerSecond, true);
    }
}
