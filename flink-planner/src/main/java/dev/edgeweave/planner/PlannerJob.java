package dev.edgeweave.planner;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The planner's dataflow, with its source and sink injected (CONVENTIONS.md: the job is a pure builder; {@code main}
 * attaches Kafka, tests attach what they need):
 *
 * <pre>
 *   events ─┬─ arrivals, ends ─ keyBy(prompt) ─ slowdown-join ─┐
 *           └─ results, states, links ──────────────────────────┴─ union ─┬─ short window (tumbling) ─┬─ summaries ──────────┐
 *                                                                         │                          └─ short-term agent ─┬─┼─ policy, decision
 *                                                                         │                                   weights ────┘ │
 *                                                                         └─ long window (sliding) ─ latest-weights ─ long-term agent ─┼─ plan, commands, decision
 *                                                                                                                                   └─ sink
 * </pre>
 *
 * Every stateful operator has a {@code uid} and a name. Events later than the watermark bound to a closed
 * short window go to a side output and are counted ({@code lateEvents}), not dropped silently.
 */
public final class PlannerJob {

    static final OutputTag<CityEvent> LATE = new OutputTag<>("late-short-window") { };
    static final String CITY = "city";

    private PlannerJob() {
    }

    /** The watermark strategy of the job's sources: bounded out-of-orderness, and idleness for quiet partitions. */
    public static WatermarkStrategy<CityEvent> watermarks(PlannerSettings s) {
        return WatermarkStrategy.<CityEvent>forBoundedOutOfOrderness(s.outOfOrderness())
                .withTimestampAssigner((e, ts) -> e.time).withIdleness(s.idleness());
    }

    /**
     * Adds the job to {@code events}' environment.
     *
     * @param events the city's events, with timestamps and watermarks assigned ({@link #watermarks})
     * @param sink   where every output record goes
     */
    public static void build(DataStream<CityEvent> events, Sink<Outbound> sink, PlannerSettings s) {
        DataStream<CityEvent> joined = events
                .filter(e -> e.kind == CityEvent.Kind.ARRIVAL || e.kind == CityEvent.Kind.COMPLETION
                        || e.kind == CityEvent.Kind.REJECTION).name("prompt events").uid("prompt-events")
                .keyBy(e -> e.promptId).process(new SlowdownJoin()).name("slowdown join").uid("slowdown-join");
        DataStream<CityEvent> others = events
                .filter(e -> e.kind == CityEvent.Kind.RESULT || e.kind == CityEvent.Kind.NODE_STATE
                        || e.kind == CityEvent.Kind.LINK).name("server events").uid("server-events");
        DataStream<CityEvent> all = joined.union(others);

        SingleOutputStreamOperator<ShortWindow> shortWindows = all.keyBy(e -> CITY)
                .window(TumblingEventTimeWindows.of(s.shortWindow())).sideOutputLateData(LATE)
                .aggregate(new ShortAggregate(), new StampShort()).name("short window").uid("short-window");
        shortWindows.getSideOutput(LATE).process(new CountLate()).name("late events").uid("late-events");

        DataStream<Outbound> summaries = shortWindows.flatMap((ShortWindow w, Collector<Outbound> out) ->
                Summaries.of(w).forEach(out::collect)).returns(Outbound.class).name("window summaries")
                .uid("window-summaries");
        SingleOutputStreamOperator<Decided> decided = AsyncDataStream.orderedWait(shortWindows,
                new SchedulingCall(s), s.agentTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, 1)
                .name("short-term scheduling agent").uid("short-term-agent");
        DataStream<Outbound> policies = decided.flatMap((Decided d, Collector<Outbound> out) ->
                d.records.forEach(out::collect)).returns(Outbound.class).name("policy records").uid("policy-records");

        SingleOutputStreamOperator<LongWindow> longWindows = all
                .filter(e -> e.kind == CityEvent.Kind.ARRIVAL || e.kind == CityEvent.Kind.NODE_STATE)
                .name("demand and states").uid("demand-and-states")
                .keyBy(e -> CITY).window(SlidingEventTimeWindows.of(s.longWindow(), s.longSlide()))
                .aggregate(new LongAggregate(), new StampLong()).name("long window").uid("long-window");
        SingleOutputStreamOperator<PlanInput> planInput = longWindows.connect(decided)
                .keyBy(w -> CITY, d -> CITY).process(new LatestWeights()).name("latest weights").uid("latest-weights");
        SingleOutputStreamOperator<List<Outbound>> planned = AsyncDataStream.orderedWait(planInput,
                new PlanningCall(s), s.agentTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, 1)
                .name("long-term planning agent").uid("long-term-agent");
        DataStream<Outbound> plans = planned.flatMap((List<Outbound> l, Collector<Outbound> out) -> l.forEach(out::collect))
                .returns(Outbound.class).name("plan records").uid("plan-records");

        summaries.union(policies, plans).sinkTo(sink).name("outputs").uid("outputs");
    }

    /** The short window's aggregate, built event by event. */
    static final class ShortAggregate implements AggregateFunction<CityEvent, ShortWindow, ShortWindow> {
        @Override
        public ShortWindow createAccumulator() {
            return new ShortWindow();
        }

        @Override
        public ShortWindow add(CityEvent e, ShortWindow acc) {
            return acc.add(e);
        }

        @Override
        public ShortWindow getResult(ShortWindow acc) {
            return acc;
        }

        @Override
        public ShortWindow merge(ShortWindow a, ShortWindow b) {
            return a.merge(b);
        }
    }

    static final class StampShort extends ProcessWindowFunction<ShortWindow, ShortWindow, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<ShortWindow> in, Collector<ShortWindow> out) {
            ShortWindow w = in.iterator().next();
            w.windowStart = ctx.window().getStart();
            w.windowEnd = ctx.window().getEnd();
            out.collect(w);
        }
    }

    static final class LongAggregate implements AggregateFunction<CityEvent, LongWindow, LongWindow> {
        @Override
        public LongWindow createAccumulator() {
            return new LongWindow();
        }

        @Override
        public LongWindow add(CityEvent e, LongWindow acc) {
            return acc.add(e);
        }

        @Override
        public LongWindow getResult(LongWindow acc) {
            return acc;
        }

        @Override
        public LongWindow merge(LongWindow a, LongWindow b) {
            return a.merge(b);
        }
    }

    static final class StampLong extends ProcessWindowFunction<LongWindow, LongWindow, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<LongWindow> in, Collector<LongWindow> out) {
            LongWindow w = in.iterator().next();
            w.windowStart = ctx.window().getStart();
            w.windowEnd = ctx.window().getEnd();
            out.collect(w);
        }
    }

    /** Pairs each long window with the class weights the short-term agent last set (kept in state). */
    static final class LatestWeights extends KeyedCoProcessFunction<String, LongWindow, Decided, PlanInput> {
        private transient ValueState<double[]> weights;

        @Override
        public void open(OpenContext context) {
            weights = getRuntimeContext().getState(new ValueStateDescriptor<>("class-weights", double[].class));
        }

        @Override
        public void processElement1(LongWindow w, Context ctx, Collector<PlanInput> out) throws Exception {
            out.collect(new PlanInput(w, weights.value()));
        }

        @Override
        public void processElement2(Decided d, Context ctx, Collector<PlanInput> out) throws Exception {
            if (d.weights != null) {
                weights.update(d.weights);
            }
        }
    }

    /** Counts events that came after their short window closed. */
    static final class CountLate extends ProcessFunction<CityEvent, Void> {
        private transient Counter late;

        @Override
        public void open(OpenContext context) {
            late = getRuntimeContext().getMetricGroup().counter("lateEvents");
        }

        @Override
        public void processElement(CityEvent e, Context ctx, Collector<Void> out) {
            late.inc();
        }
    }
}
