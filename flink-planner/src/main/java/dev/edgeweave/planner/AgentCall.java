package dev.edgeweave.planner;

import dev.edgeweave.agents.AgentBrains;
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

    final PlannerSettings settings;
    private final String threadName;
    private transient ExecutorService pool;
    private transient AgentBrains brains;

    AgentCall(String threadName, PlannerSettings settings) {
        this.threadName = threadName;
        this.settings = settings;
    }

    /** Builds the agent on {@code brains} (the configured brain, the optimizer as fallback); once per instance. */
    abstract void start(AgentBrains brains);

    /**
     * One decision on {@code in}.
     *
     * @param timedOut null for the brain's own decision; else why the optimizer's stands in
     */
    abstract O decide(I in, String timedOut);


    @Override
    public final void open(OpenContext context) {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        brains = AgentBrains.create(settings.agents().withMemoryIn(threadName),
                dev.edgeweave.core.model.ModelCatalog.standard());
        start(brains);
    }

    @Override
    public final void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (brains != null) {
            brains.close();
        }
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
        result.complete(List.of(decide(in, "timeout after " + settings.agentTimeout().toMillis() + " ms")));
    }
}
