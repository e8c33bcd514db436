package dev.edgeweave.connector;

import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.core.sim.EventScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's one thread for its state, and the {@link EventScheduler} of its emulated server on the city
 * clock (DESIGN.md, "Time"): a delay of {@code d} city seconds is waited as {@code d / speed-up} wall seconds,
 * so the emulated service times and load times are actually waited.
 *
 * <p>City time here is seconds since the city clock's start, read from {@link System#nanoTime} (monotonic) and
 * anchored to the city clock when the thread starts; {@link #instant(double)} turns it back into the city
 * clock's instant. Every task runs on the one thread, in order; a task that throws is logged and the thread
 * goes on (one bad record must not stop a server).
 */
public final class NodeThread implements EventScheduler, Executor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeThread.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;
    private final CityClock clock;
    private final long baseNanos;
    private final double baseCitySeconds;

    /**
     * @param name  the thread's name
     * @param clock the city clock
     */
    public NodeThread(String name, CityClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Instant now = clock.instant();
        this.baseNanos = System.nanoTime();
        this.baseCitySeconds = Duration.between(clock.start(), now).toNanos() / 1e9;
    }

    public CityClock clock() {
        return clock;
    }

    /** City seconds since the city clock's start. */
    @Override
    public double now() {
        return baseCitySeconds + (System.nanoTime() - baseNanos) / 1e9 * clock.speedup();
    }

    /** The city clock's instant at {@code citySeconds} of this thread's time. */
    public Instant instant(double citySeconds) {
        return clock.start().plusNanos(Math.round(citySeconds * 1e9));
    }

    @Override
    public Scheduled schedule(double delaySeconds, Runnable action) {
        if (!(delaySeconds >= 0)) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delaySeconds);
        }
        long wallNanos = Math.round(delaySeconds / clock.speedup() * 1e9);
        ScheduledFuture<?> f = executor.schedule(guarded(action), wallNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code task} on the thread as soon as it is free. */
    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    /** Runs {@code task} every {@code citySeconds} of city time, the first time after one period. */
    public Scheduled every(double citySeconds, Runnable task) {
        long wallNanos = Math.max(1, Math.round(citySeconds / clock.speedup() * 1e9));
        ScheduledFuture<?> f = executor.scheduleAtFixedRate(guarded(task), wallNanos, wallNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Whether the caller is on this thread. */
    public boolean onThread() {
        return Thread.currentThread() == thread;
    }

    /** Stops the thread: queued and delayed tasks are dropped, a running one finishes. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Runnable guarded(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("a node task failed; the node goes on", e);
            }
        };
    }
}
