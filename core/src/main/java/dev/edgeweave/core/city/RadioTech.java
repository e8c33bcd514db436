package dev.edgeweave.core.city;

/**
 * The radio access of an access point, with the default radio leg used until a link is measured.
 *
 * <p>Sources, catalog-facts §8: RTT to an in-metro MEC is not published as a measured median; the estimate
 * row gives 8–15 ms for 5G SA and 20–40 ms for 5G NSA/LTE [E], and the midpoints are used. Bandwidths are
 * medians: 5G from Ookla's global 5G median (Q3 2021, UL 21.1 / DL 166.1 Mbps), which NSA shares since its
 * data plane is 5G NR; LTE from Opensignal US 4G (Q1 2019, UL 6.3 / DL 21.3 Mbps).
 */
public enum RadioTech {
    /** 5G standalone: 11.5 ms RTT [E] (midpoint of 8–15 ms), 21.1 / 166.1 Mbps. */
    NR_SA(0.0115, 21.1e6, 166.1e6),
    /** 5G non-standalone (LTE anchor): 30 ms RTT [E] (midpoint of 20–40 ms), 21.1 / 166.1 Mbps. */
    NR_NSA(0.030, 21.1e6, 166.1e6),
    /** 4G LTE: 30 ms RTT [E] (midpoint of 20–40 ms), 6.3 / 21.3 Mbps. */
    LTE(0.030, 6.3e6, 21.3e6);

    private final double rttSeconds;
    private final double uplinkBitsPerSecond;
    private final double downlinkBitsPerSecond;

    RadioTech(double rttSeconds, double uplinkBitsPerSecond, double downlinkBitsPerSecond) {
        this.rttSeconds = rttSeconds;
        this.uplinkBitsPerSecond = uplinkBitsPerSecond;
        this.downlinkBitsPerSecond = downlinkBitsPerSecond;
    }

    /** Default RTT of the radio leg (device to the access point's core and back), seconds. */
    public double defaultRttSeconds() {
        return rttSeconds;
    }

    /** Default uplink bandwidth, bit/s. */
    public double uplinkBitsPerSecond() {
        return uplinkBitsPerSecond;
    }

    /** Default downlink bandwidth, bit/s. */
    public double downlinkBitsPerSecond() {
        return downlinkBitsPerSecond;
    }
}
