package dev.edgeweave.scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * What the scheduler's topology is configured with (DESIGN.md, "Defaults"). Every duration is city time but
 * {@code punctuateEvery}, which Kafka Streams waits for on the wall clock.
 *
 * @param maxAttempts          attempts per prompt before it is rejected {@code RETRIES_EXHAUSTED} (3)
 * @param heartbeatTimeout     a server whose last heartbeat is older is down: 3 missed 1-second heartbeats
 * @param attemptTimeoutFactor an attempt still without a result after this many times
 *                             {@code max(SLO, predicted latency)} is given up and the prompt routed again; it
 *                             catches a server that is up but has lost the prompt
 * @param admissionFactor      admission control: a new prompt whose chosen server's predicted latency is over this
 *                             many times its SLO is rejected {@code OVERLOADED} instead of queued, so that
 *                             queues stay bounded under overload (4; 0 admits everything)
 * @param duplicateRetention   how long accepted prompt ids are remembered to refuse duplicates (24 h)
 * @param punctuateEvery       how often the ledger is scanned for stale servers and overdue attempts, in wall
 *                             time (the app passes its city-time scan interval divided by the speed-up)
 */
public record SchedulerSettings(int maxAttempts, Duration heartbeatTimeout, double attemptTimeoutFactor,
                                double admissionFactor, Duration duplicateRetention, Duration punctuateEvery) {

    public static final SchedulerSettings DEFAULTS = new SchedulerSettings(3, Duration.ofSeconds(3), 3.0,
            dev.edgeweave.core.routing.Admission.DEFAULT_FACTOR,
            Duration.ofHours(24), Duration.ofSeconds(1));

    public SchedulerSettings {
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(duplicateRetention, "duplicateRetention");
        Objects.requireNonNull(punctuateEvery, "punctuateEvery");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (!(attemptTimeoutFactor >= 1) || Double.isInfinite(attemptTimeoutFactor)) {
            throw new IllegalArgumentException("attemptTimeoutFactor must be finite and >= 1, was " + attemptTimeoutFactor);
        }
        if (!(admissionFactor == 0 || admissionFactor >= 1) || Double.isInfinite(admissionFactor)) {
            throw new IllegalArgumentException("admissionFactor must be 0 (off) or finite and >= 1, was "
                    + admissionFactor);
        }
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero() || punctuateEvery.isNegative()
                || punctuateEvery.isZero() || duplicateRetention.isNegative() || duplicateRetention.isZero()) {
            throw new IllegalArgumentException("durations must be > 0");
        }
    }
}
