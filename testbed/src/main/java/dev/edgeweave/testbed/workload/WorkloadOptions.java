package dev.edgeweave.testbed.workload;

import java.util.OptionalDouble;

/**
 * What one generated workload varies on, beside its scenario.
 *
 * @param seed                   the seed; the same seed and options give the identical stream
 * @param referenceRatePerSecond the total arrival rate at load 1.0, all classes together: the scenario's
 *                               {@code loadReference.capacityFraction} × its capacity, which the testbed computes
 *                               from the placement ({@code LoadReference#referenceRatePerSecond})
 * @param load                   {@code --load X}: every rate × X (the chat trace's timeline compressed X times more)
 * @param shiftAtSeconds         {@code --shift S}: when the demand shift happens, overriding the scenario's
 *                               {@code shift.at}; empty to keep the scenario's (which may be none)
 */
public record WorkloadOptions(long seed, double referenceRatePerSecond, double load, OptionalDouble shiftAtSeconds) {

    public WorkloadOptions {
        if (!(referenceRatePerSecond > 0) || Double.isInfinite(referenceRatePerSecond)) {
            throw new IllegalArgumentException("referenceRatePerSecond must be finite and > 0, was " + referenceRatePerSecond);
        }
        if (!(load > 0) || Double.isInfinite(load)) {
            throw new IllegalArgumentException("load must be finite and > 0, was " + load);
        }
        if (shiftAtSeconds.isPresent() && !(shiftAtSeconds.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("shift time must be >= 0, was " + shiftAtSeconds.getAsDouble());
        }
    }

    /** Load 1.0, the scenario's shift. */
    public static WorkloadOptions of(long seed, double referenceRatePerSecond) {
        return new WorkloadOptions(seed, referenceRatePerSecond, 1.0, OptionalDouble.empty());
    }

    public WorkloadOptions withLoad(double load) {
        return new WorkloadOptions(seed, referenceRatePerSecond, load, shiftAtSeconds);
    }

    public WorkloadOptions withShiftAt(double seconds) {
        return new WorkloadOptions(seed, referenceRatePerSecond, load, OptionalDouble.of(seconds));
    }

    /** The total base arrival rate, reference × load (bursts come on top). */
    public double totalRatePerSecond() {
        return referenceRatePerSecond * load;
    }
}
