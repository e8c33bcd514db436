package dev.edgeweave.planner;

import dev.edgeweave.core.fairness.Fairness;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Each prompt's end joined with its arrival, keyed by prompt id: the arrival knows the prompt's inference time
 * alone on the reference GPU (from its sizes), the end its latency, and the slowdown is their ratio (DESIGN.md:
 * fairness is over slowdown). Arrivals pass through at once (they are demand).
 *
 * <p>The two come from different topics, so an end may be read before its arrival. An end that finds no
 * arrival waits in state until the watermark reaches its own time (an event-time timer, so it is emitted with its
 * own timestamp and counts in its own window): the arrival, created earlier, has then been read if it is to be
 * read at all (within the watermark's bound). If it still has not come (it was produced before the job's start
 * offsets), the end goes on with its own measured inference time as the reference, so it is never dropped. Arrival state expires after
 * a day of processing time, so prompts that never end do not accumulate.
 */
public final class SlowdownJoin extends KeyedProcessFunction<String, CityEvent, CityEvent> {

    static final Duration STATE_TTL = Duration.ofHours(24);
    private transient ValueState<Double> reference;
    private transient ValueState<CityEvent> waiting;

    @Override
    public void open(OpenContext context) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(STATE_TTL).build();
        ValueStateDescriptor<Double> r = new ValueStateDescriptor<>("reference-inference-seconds", Double.class);
        r.enableTimeToLive(ttl);
        reference = getRuntimeContext().getState(r);
        ValueStateDescriptor<CityEvent> w = new ValueStateDescriptor<>("end-waiting-for-arrival", CityEvent.class);
        w.enableTimeToLive(ttl);
        waiting = getRuntimeContext().getState(w);
    }

    @Override
    public void processElement(CityEvent e, Context ctx, Collector<CityEvent> out) throws Exception {
        if (e.kind == CityEvent.Kind.ARRIVAL) {
            out.collect(e);
            // A waiting end keeps waiting for its own timer: emitted from here it would carry the arrival's
            // timestamp, and count in the window of the prompt's creation instead of its end.
            reference.update(e.inferenceSeconds);
            return;
        }
        Double ref = reference.value();
        if (ref != null) {
            reference.clear();
            emit(e, ref, out);
        } else {
            waiting.update(e);
            ctx.timerService().registerEventTimeTimer(e.time);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CityEvent> out) throws Exception {
        CityEvent end = waiting.value();
        if (end != null) {
            Double ref = reference.value();
            waiting.clear();
            reference.clear();
            emit(end, ref != null ? ref : end.inferenceSeconds, out);
        }
    }

    private static void emit(CityEvent end, double referenceSeconds, Collector<CityEvent> out) {
        end.slowdown = end.latencySeconds > 0 && referenceSeconds > 0
                ? Fairness.slowdown(end.latencySeconds, referenceSeconds) : 1.0;
        out.collect(end);
    }
}
