package dev.edgeweave.testbed.scenario;

/**
 * What load 1.0 means: {@code capacityFraction} of the scenario's capacity. Capacity (DESIGN "Evaluation") is
 * the largest total arrival rate, in the scenario's class mix, that the static placement serves with every
 * server's utilisation below 1; the testbed computes it from the latency laws and the placement, and passes
 * {@link #referenceRatePerSecond} to the workload generator.
 *
 * @param capacityFraction in (0, 1]; 0.7 leaves headroom for bursts and queueing, as is usual for a
 *                         service run at a target utilisation
 */
public record LoadReference(double capacityFraction) {

    public LoadReference {
        if (!(capacityFraction > 0 && capacityFraction <= 1)) {
            throw new IllegalArgumentException("capacityFraction must be in (0, 1], was " + capacityFraction);
        }
    }

    /** The reference (load 1.0) total arrival rate for a scenario of {@code capacityPerSecond}. */
    public double referenceRatePerSecond(double capacityPerSecond) {
        if (!(capacityPerSecond > 0) || Double.isInfinite(capacityPerSecond)) {
            throw new IllegalArgumentException("capacity must be finite and > 0, was " + capacityPerSecond);
        }
        return capacityFraction * capacityPerSecond;
    }
}
