package dev.edgeweave.planner;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
    private static final TypeInformation<ShortWindow> SHORT = TypeInformation.of(ShortWindow.class);
    private static final TypeInformation<LongWindow> LONG = TypeInformation.of(LongWindow.class);

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
                .aggregate(new Aggregate<>(ShortWindow.class), new Stamp<ShortWindow>(), SHORT, SHORT, SHORT)
                .name("short window").uid("short-window");
        shortWindows.getSideOutput(LATE).process(new CountLate()).name("late events").uid("late-events");

        DataStream<Outbound> summaries = shortWindows.flatMap(new SummaryRecords()).name("window summaries")
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
                .aggregate(new Aggregate<>(LongWindow.class), new Stamp<LongWindow>(), LONG, LONG, LONG)
                .name("long window").uid("long-window");
        SingleOutputStreamOperator<PlanInput> planInput = longWindows.connect(decided)
                .keyBy(w -> CITY, d -> CITY).process(new LatestWeights()).name("latest weights").uid("latest-weights");
        SingleOutputStreamOperator<List<Outbound>> planned = AsyncDataStream.orderedWait(planInput,
                new PlanningCall(s), s.agentTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, 1)
                .name("long-term planning agent").uid("long-term-agent");
        DataStream<Outbound> plans = planned.flatMap((List<Outbound> l, Collector<Outbound> out) -> l.forEach(out::collect))
                .returns(Outbound.class).name("plan records").uid("plan-records");

        summaries.union(policies, plans).sinkTo(sink).name("outputs").uid("outputs");
    }

    /** A window's aggregate, built event by event into a fresh {@code W}. */
    static final class Aggregate<W extends CityWindow<W>> implements AggregateFunction<CityEvent, W, W> {
        private final Class<W> type;

        Aggregate(Class<W> type) {
            this.type = type;
        }

        @Override
        public W createAccumulator() {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type + " needs a public no-argument constructor", e);
            }
        }

        @Override
        public W add(CityEvent e, W acc) {
            return acc.add(e);
        }

        @Override
        public W getResult(W acc) {
            return acc;
        }

        @Override
        public W merge(W a, W b) {
            return a.merge(b);
        }
    }

    /** Stamps a closed window's aggregate with its span. */
    static final class Stamp<W extends CityWindow<W>> extends ProcessWindowFunction<W, W, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<W> in, Collector<W> out) {
            W w = in.iterator().next();
            w.span(ctx.window().getStart(), ctx.window().getEnd());
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

    /**
     * A short window's summaries, and the city's latest figures as gauges for the dashboards:
     * {@code normalizedJainSlowdown}, {@code meanLatencySeconds}, {@code p95LatencySeconds}.
     */
    static final class SummaryRecords extends org.apache.flink.api.common.functions.RichFlatMapFunction<ShortWindow, Outbound> {
        private transient volatile dev.edgeweave.v1.WindowSummary city;

        @Override
        public void open(OpenContext context) {
            var g = getRuntimeContext().getMetricGroup();
            g.gauge("normalizedJainSlowdown", () -> city == null || city.getNormalizedJainSlowdown() == null ? Double.NaN
                    : city.getNormalizedJainSlowdown());
            g.gauge("meanLatencySeconds", () -> city == null ? Double.NaN : city.getMeanLatencySeconds());
            g.gauge("p95LatencySeconds", () -> city == null ? Double.NaN : city.getP95LatencySeconds());
        }

        @Override
        public void flatMap(ShortWindow w, Collector<Outbound> out) {
            java.util.List<dev.edgeweave.v1.WindowSummary> all = Summaries.summaries(w);
            city = all.get(0);
            Summaries.of(w, all).forEach(out::collect);
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
