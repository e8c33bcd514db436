package dev.edgeweave.scheduler;

import dev.edgeweave.v1.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * What the scheduler did, counted: the figures its {@code /metrics} endpoint exports and tests read. Shared by
 * the tasks of one instance (thread-safe).
 *
 * <p>Plain counters, so the topology needs no metrics library: {@link SchedulerMetrics} reads them into
 * Micrometer, and the decision times reach its timer through {@link #onDecision}. Under exactly-once a
 * transaction that aborts is processed again, so the counters count work done, which can exceed the records
 * that became visible downstream.
 */
public final class SchedulerCounters {

    final AtomicLong routed = new AtomicLong();
    final AtomicLong rerouted = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong ignoredResults = new AtomicLong();
    final AtomicLong badTelemetry = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong decisions = new AtomicLong();
    private final Map<ReasonCode, AtomicLong> rejected = new EnumMap<>(ReasonCode.class);
    private final Map<ReasonCode, AtomicLong> deadLetteredBy = new EnumMap<>(ReasonCode.class);
    private volatile LongConsumer decisionTimer = nanos -> { };

    public SchedulerCounters() {
        for (ReasonCode r : ReasonCode.values()) {
            rejected.put(r, new AtomicLong());
            deadLetteredBy.put(r, new AtomicLong());
        }
    }

    void countRejection(ReasonCode reason) {
        rejected.get(reason).incrementAndGet();
    }

    void countDeadLetter(ReasonCode reason) {
        deadLettered.incrementAndGet();
        deadLetteredBy.get(reason).incrementAndGet();
    }

    /** One routing decision ({@code Dispatcher.choose}) took {@code nanos} wall-clock nanoseconds. */
    void recordDecision(long nanos) {
        decisions.incrementAndGet();
        decisionTimer.accept(nanos);
    }

    /**
     * Sends every decision time from now on, in nanoseconds, to {@code timer} (a Micrometer timer in the app),
     * replacing the previous one; {@code null} stops sending. Called on stream threads: keep it cheap.
     */
    public void onDecision(LongConsumer timer) {
        decisionTimer = timer == null ? nanos -> { } : timer;
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

    /** Records sent to the dead-letter topic, for any reason. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Records sent to the dead-letter topic for {@code reason} ({@code INVALID}, {@code DUPLICATE}). */
    public long deadLettered(ReasonCode reason) {
        return deadLetteredBy.get(reason).get();
    }

    /** Routing decisions taken (each attempt's {@code Dispatcher.choose}, whether it found a server or not). */
    public long decisions() {
        return decisions.get();
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
