package dev.edgeweave.core.sim;

/**
 * Timed events in city time, injected into everything that waits: the emulated GPU server, agents' periods,
 * network delays. The testbed runs it as a discrete-event simulation (time jumps from event to event); the
 * live connector runs it on the lab's city clock. Code that takes an {@code EventScheduler} never reads a
 * wall clock, so the same code is exact in simulation and faithful live.
 */
public interface EventScheduler {

    /** Current city time, in seconds since the scheduler's origin. */
    double now();

    /**
     * Runs {@code action} once, {@code delaySeconds} (≥ 0) from now. Actions due at the same instant run in
     * the order they were scheduled.
     */
    Scheduled schedule(double delaySeconds, Runnable action);

    /** A scheduled action that can still be called off. */
    interface Scheduled {
        /** Calls the action off; no effect once it has run or was cancelled. */
        void cancel();
    }
}
