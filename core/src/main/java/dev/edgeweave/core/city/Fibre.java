package dev.edgeweave.core.city;

/**
 * The distance-based default for the wired part of a path, catalog-facts §8:
 * {@code RTT = straight-line km × ROUTE_FACTOR × RTT_SECONDS_PER_KM + HOPS × HOP_RTT_SECONDS}.
 *
 * <p>For a 20 km straight line this gives 0.27 ms of propagation + 0.4 ms of switching = 0.67 ms, inside the
 * 0.5–2 ms the facts give for in-metro site-to-site RTT.
 */
public final class Fibre {

    /** Fibre route length over straight-line distance: midpoint of 1.3–1.5× [E] (§8 metro row). */
    public static final double ROUTE_FACTOR = 1.4;

    /** RTT per km of single-mode fibre: 2 × 4.9 µs/km (n ≈ 1.468) = 9.8 µs/km (§8 fibre propagation row). */
    public static final double RTT_SECONDS_PER_KM = 9.8e-6;

    /** RTT added per router/switch hop: midpoint-ish of 0.05–0.2 ms [E] (§8 metro row). */
    public static final double HOP_RTT_SECONDS = 0.1e-3;

    /** Router/switch hops on an in-metro path [E]: access aggregation, metro core, site edge, server top-of-rack. */
    public static final int HOPS = 4;

    /** Bandwidth of a server-to-server link: a 10 Gbit/s metro Ethernet port [E]. */
    public static final double SERVER_LINK_BITS_PER_SECOND = 10e9;

    private Fibre() {
    }

    /** The default wired RTT over {@code straightLineKm}. */
    public static double rttSeconds(double straightLineKm) {
        return straightLineKm * ROUTE_FACTOR * RTT_SECONDS_PER_KM + HOPS * HOP_RTT_SECONDS;
    }
}
