package dev.edgeweave.scheduler;

import dev.edgeweave.v1.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scheduler did, counted: the figures its {@code /metrics} endpoint exports and tests read. Shared by
 * the tasks of one instance (thread-safe).
 */
public final class SchedulerCounters {

    final AtomicLong routed = new AtomicLong();
    final AtomicLong rerouted = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong ignoredResults = new AtomicLong();
    final AtomicLong badTelemetry = new AtomicLong();
    private final Map<ReasonCode, AtomicLong> rejected = new EnumMap<>(ReasonCode.class);

    public SchedulerCounters() {
        for (ReasonCode r : ReasonCode.values()) {
            rejected.put(r, new AtomicLong());
        }
    }

    void countRejection(ReasonCode reason) {
        rejected.get(reason).incrementAndGet();
    }

    /** Attempts dispatched to a server (first attempts and re-dispatches). */
    public long routed() {
        return routed.get();
    }

    /** Attempts dispatched after an earlier one failed, was handed back, timed out or lost its server. */
    public long rerouted() {
        return rerouted.get();
    }

    public long completed() {
        return completed.get();
    }

    public long rejected(ReasonCode reason) {
        return rejected.get(reason).get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Results for an unknown or finished prompt, or for an attempt that is no longer current. */
    public long ignoredResults() {
        return ignoredResults.get();
    }

    /** node-state, network-telemetry and routing-policy records refused. */
    public long badTelemetry() {
        return badTelemetry.get();
    }
}
