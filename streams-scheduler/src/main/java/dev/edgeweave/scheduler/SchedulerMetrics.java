package dev.edgeweave.scheduler;

import dev.edgeweave.v1.ReasonCode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The scheduler's metrics in Micrometer, scraped by Prometheus from {@code /metrics}. The counters read
 * {@link SchedulerCounters} when scraped (no copy to keep in step); the decision timer receives each
 * {@code Dispatcher.choose} time from the counters' hook.
 *
 * <table>
 *   <caption>Prometheus names</caption>
 *   <tr><td>{@code scheduler_prompts_routed_total}</td><td>attempts dispatched (first attempts and re-dispatches)</td></tr>
 *   <tr><td>{@code scheduler_prompts_rerouted_total}</td><td>attempts after a failure, hand-back, timeout or lost server</td></tr>
 *   <tr><td>{@code scheduler_prompts_completed_total}</td><td>{@code PromptCompletion}s written</td></tr>
 *   <tr><td>{@code scheduler_prompts_rejected_total{reason}}</td><td>{@code PromptRejection}s written, by reason</td></tr>
 *   <tr><td>{@code scheduler_prompts_dead_lettered_total{reason}}</td><td>inputs sent to the dead letters, by reason</td></tr>
 *   <tr><td>{@code scheduler_results_ignored_total}</td><td>results for unknown, finished or superseded attempts</td></tr>
 *   <tr><td>{@code scheduler_telemetry_ignored_total}</td><td>node-state, link or policy records refused</td></tr>
 *   <tr><td>{@code scheduler_decision_seconds}</td><td>histogram of routing decision times (wall clock)</td></tr>
 *   <tr><td>{@code scheduler_inflight_prompts}</td><td>prompts in this instance's ledgers (RocksDB's estimate)</td></tr>
 * </table>
 */
public final class SchedulerMetrics implements AutoCloseable {

    /**
     * Bucket bounds of the decision-time histogram: a decision over a few dozen servers takes microseconds
     * (the target is a p99 of 50 µs), so the buckets are finer than Micrometer's defaults, which start
     * at a millisecond.
     */
    static final Duration[] DECISION_BUCKETS = {
            Duration.ofNanos(1_000), Duration.ofNanos(2_500), Duration.ofNanos(5_000), Duration.ofNanos(10_000),
            Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000),
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(25)};

    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SchedulerCounters counters; // held strongly: Micrometer's function counters keep weak references

    /**
     * @param counters what the topology counts
     * @param inFlight the prompts in flight on this instance, or NaN while unknown (during a rebalance)
     */
    public SchedulerMetrics(SchedulerCounters counters, DoubleSupplier inFlight) {
        this.counters = Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(inFlight, "inFlight");
        counter("scheduler.prompts.routed", "Attempts dispatched to a server: first attempts and re-dispatches",
                SchedulerCounters::routed);
        counter("scheduler.prompts.rerouted",
                "Attempts dispatched after an earlier one failed, was handed back, timed out or lost its server",
                SchedulerCounters::rerouted);
        counter("scheduler.prompts.completed", "Prompt completions written", SchedulerCounters::completed);
        for (ReasonCode reason : ReasonCode.values()) {
            FunctionCounter.builder("scheduler.prompts.rejected", counters, c -> c.rejected(reason))
                    .description("Prompt rejections written, by reason").tag("reason", reason.name())
                    .register(registry);
            FunctionCounter.builder("scheduler.prompts.dead.lettered", counters, c -> c.deadLettered(reason))
                    .description("Input records sent to the dead-letter topic, by reason").tag("reason", reason.name())
                    .register(registry);
        }
        counter("scheduler.results.ignored",
                "Attempt results ignored: unknown or finished prompt, superseded attempt, undecodable",
                SchedulerCounters::ignoredResults);
        counter("scheduler.telemetry.ignored", "node-state, network-telemetry and routing-policy records refused",
                SchedulerCounters::badTelemetry);
        Timer decision = Timer.builder("scheduler.decision")
                .description("Wall-clock time of one routing decision (candidates, scores, choice)")
                .serviceLevelObjectives(DECISION_BUCKETS)
                .register(registry);
        counters.onDecision(nanos -> decision.record(nanos, TimeUnit.NANOSECONDS));
        Gauge.builder("scheduler.inflight", inFlight, DoubleSupplier::getAsDouble)
                .description("Prompts in the in-flight ledgers of this instance's tasks (RocksDB's estimate)")
                .baseUnit("prompts").strongReference(true).register(registry);
    }

    /** The registry, for binding more meters (JVM, Kafka clients) where wanted. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops feeding the decision timer and closes the registry. */
    @Override
    public void close() {
        counters.onDecision(null);
        registry.close();
    }

    private void counter(String name, String description, ToDoubleFunction<SchedulerCounters> read) {
        FunctionCounter.builder(name, counters, read).description(description).register(registry);
    }
}
