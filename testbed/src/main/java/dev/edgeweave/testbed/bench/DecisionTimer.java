package dev.edgeweave.testbed.bench;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.scheduler.Dispatcher;
import dev.edgeweave.testbed.workload.Workload;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Times the scheduler's routing decision, {@link Dispatcher#choose}, one call at a time: the candidates built
 * from the {@code CityState}, {@code EdgeweaveRouter} over them, the prediction of the chosen server and its
 * local delta. A warmed-up harness in place of JMH (which wants its own build and forked JVMs): warm-up
 * rounds until the JIT has compiled the path, then every call of the timed round measured with
 * {@link System#nanoTime()} into an array, so the percentiles are of single decisions, not of averages.
 *
 * <p>The city's states are published again ({@code heartbeat}, not timed) every {@link #HEARTBEAT_EVERY}
 * decisions, as a server's 1-second heartbeat would at a few tens of thousands of prompts a second: a new
 * state resets the local deltas, so the queues the router sees stay those of a live city rather than growing
 * without bound.
 */
public final class DecisionTimer {

    /** Decisions between two re-publications of the servers' states. */
    public static final int HEARTBEAT_EVERY = 20_000;

    /** What was measured, nanoseconds per decision. */
    public record Timing(int decisions, long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                         double meanNanos, int candidates) {

        public double p99Micros() {
            return p99Nanos / 1000.0;
        }
    }

    private final Dispatcher dispatcher;
    private final Runnable heartbeat;
    private final Instant now;
    private final ModelSpec[] model;
    private final PromptSize[] size;
    private final String[] user;
    private final String[] accessPoint;
    private final String[] id;
    private volatile long blackhole;

    /**
     * @param dispatcher the scheduler's dispatcher over the city
     * @param heartbeat  publishes every server's state again with a higher sequence
     * @param workload   the prompts to route, in order (cycled when a round is longer)
     * @param prompts    how many distinct prompts of the workload to use
     * @param now        the city clock during the run (the servers' heartbeats must be fresh at it)
     */
    public DecisionTimer(Dispatcher dispatcher, Runnable heartbeat, Workload workload, ModelCatalog models,
                         int prompts, Instant now) {
        this.dispatcher = dispatcher;
        this.heartbeat = heartbeat;
        this.now = now;
        int n = Math.min(prompts, workload.size());
        model = new ModelSpec[n];
        size = new PromptSize[n];
        user = new String[n];
        accessPoint = new String[n];
        id = new String[n];
        for (int i = 0; i < n; i++) {
            model[i] = models.require(workload.modelId(i));
            size[i] = workload.size(i);
            user[i] = "user-" + workload.user(i);
            accessPoint[i] = workload.accessPointId(i);
            id[i] = BenchPrompts.id(i);
        }
    }

    /** {@code rounds} untimed rounds of {@code perRound} decisions. */
    public void warmUp(int rounds, int perRound) {
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < perRound; k++) {
                if (k % HEARTBEAT_EVERY == 0) {
                    heartbeat.run();
                }
                sink += decide(k % model.length).map(c -> c.nodeId().length()).orElse(0);
            }
        }
        blackhole = sink; // keeps the results alive, so the JIT cannot drop the calls
    }

    /** Times {@code decisions} calls, each on its own. */
    public Timing time(int decisions) {
        long[] nanos = new long[decisions];
        int routed = 0;
        long candidates = 0;
        for (int k = 0; k < decisions; k++) {
            if (k % HEARTBEAT_EVERY == 0) {
                heartbeat.run();
            }
            int i = k % model.length;
            long t0 = System.nanoTime();
            Optional<Dispatcher.Choice> c = decide(i);
            nanos[k] = System.nanoTime() - t0;
            if (c.isPresent()) {
                routed++;
            }
        }
        if (routed != decisions) {
            throw new IllegalStateException((decisions - routed) + " of " + decisions
                    + " timed decisions found no server: the city's state is not what the benchmark expects");
        }
        for (int i = 0; i < Math.min(model.length, 1000); i++) {
            candidates += dispatcher.candidates(model[i], accessPoint[i], List.of(), now).size();
        }
        double mean = Arrays.stream(nanos).average().orElse(0);
        Arrays.sort(nanos);
        return new Timing(decisions, SchedulerBenchResult.quantile(nanos, 0.50),
                SchedulerBenchResult.quantile(nanos, 0.90), SchedulerBenchResult.quantile(nanos, 0.99),
                SchedulerBenchResult.quantile(nanos, 0.999), nanos[nanos.length - 1], mean,
                (int) Math.round((double) candidates / Math.min(model.length, 1000)));
    }

    private Optional<Dispatcher.Choice> decide(int i) {
        return dispatcher.choose(id[i], model[i], size[i], user[i], accessPoint[i], BenchPrompts.SLO_SECONDS,
                List.of(), now);
    }
}
