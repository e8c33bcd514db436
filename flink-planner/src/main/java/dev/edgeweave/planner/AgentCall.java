package dev.edgeweave.planner;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * An agent's step as a Flink async function: the brain runs on a thread of its own (a language model may take
 * seconds), and when the operator's timeout strikes first, {@link #decide} is asked again with the reason, to
 * put the optimizer's decision in the brain's place and record why. Both run under the subclass's lock, so a
 * brain with memory never sees two windows at once.
 *
 * @param <I> the window
 * @param <O> what the step emits
 */
abstract class AgentCall<I, O> extends RichAsyncFunction<I, O> {

    private final String threadName;
    private transient ExecutorService pool;

    AgentCall(String threadName) {
        this.threadName = threadName;
    }

    /** Builds the brains; called once per operator instance. */
    abstract void start();

    /**
     * One decision on {@code in}.
     *
     * @param timedOut null for the brain's own decision; else why the optimizer's stands in
     */
    abstract O decide(I in, String timedOut);

    /** Releases what {@link #start} built (the brains' memory). */
    abstract void stop();

    /** The operator's timeout, for the recorded reason. */
    abstract long timeoutMillis();

    @Override
    public final void open(OpenContext context) {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        start();
    }

    @Override
    public final void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        stop();
    }

    @Override
    public final void asyncInvoke(I in, ResultFuture<O> result) {
        CompletableFuture.supplyAsync(() -> decide(in, null), pool).whenComplete((d, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(List.of(d));
            }
        });
    }

    @Override
    public final void timeout(I in, ResultFuture<O> result) {
        result.complete(List.of(decide(in, "timeout after " + timeoutMillis() + " ms")));
    }
}
