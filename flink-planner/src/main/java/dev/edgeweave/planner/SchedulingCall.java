package dev.edgeweave.planner;

import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.ClassStats;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerSchedulingBrain;
import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ServerLoad;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AgentKind;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.ClassWeight;
import dev.edgeweave.v1.NodeCap;
import dev.edgeweave.v1.RoutingPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The short-term scheduling agent on each short window, through Flink's async I/O (a language-model brain can
 * take seconds; the operator's timeout then puts the optimizer's decision in its place, and the record says
 * so). Its brain keeps a decaying memory of the classes' slowdown across windows; that memory is not in
 * Flink's state, so after a restart it starts afresh (a few windows to settle). Emits the {@code RoutingPolicy}
 * (key {@code city}, version = the window's end) and the {@code AgentDecision}.
 */
public class SchedulingCall extends RichAsyncFunction<ShortWindow, Decided> {

    private static final AvroCodec<RoutingPolicy> POLICIES = AvroCodec.of(RoutingPolicy.class);
    private final PlannerSettings settings;
    private transient ExecutorService pool;
    private transient GuardedAgent<SchedulingSituation, SchedulingDecision> agent;
    private transient OptimizerSchedulingBrain optimizer;
    private transient RoutingWeights current;

    public SchedulingCall(PlannerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "short-term-agent");
            t.setDaemon(true);
            return t;
        });
        optimizer = new OptimizerSchedulingBrain();
        Guard guard = new Guard(ModelCatalog.standard(), settings.churnLimit());
        agent = new GuardedAgent<>(optimizer::decide, Brain.OPTIMIZER, optimizer::decide, guard::check);
        current = RoutingWeights.NEUTRAL;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public void asyncInvoke(ShortWindow w, ResultFuture<Decided> result) {
        CompletableFuture.supplyAsync(() -> decide(w, null), pool).whenComplete((d, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(List.of(d));
            }
        });
    }

    @Override
    public void timeout(ShortWindow w, ResultFuture<Decided> result) {
        result.complete(List.of(decide(w, "timeout after " + settings.agentTimeout().toMillis() + " ms")));
    }

    /** One decision; with a timeout reason, the optimizer's alone. Synchronized: the brain has memory. */
    synchronized Decided decide(ShortWindow w, String timedOut) {
        SchedulingSituation s = situation(w, current, settings);
        AgentOutcome<SchedulingDecision> o;
        if (timedOut == null) {
            o = agent.decide(s);
        } else {
            SchedulingDecision d = optimizer.decide(s);
            o = new AgentOutcome<>(d, Brain.OPTIMIZER, AgentOutcome.Verdict.REPLACED, List.of(), timedOut, 0);
        }
        if (o.decision() != null) {
            current = o.decision().weights();
        }
        Decided out = new Decided();
        out.windowEnd = w.windowEnd;
        out.weights = new double[ShortWindow.CLASSES];
        for (ModelClass c : ModelClass.values()) {
            out.weights[c.ordinal()] = current.weight(c);
        }
        List<ClassWeight> weights = new ArrayList<>();
        current.classWeights().forEach((c, x) -> weights.add(ClassWeight.newBuilder()
                .setModelClass(dev.edgeweave.v1.ModelClass.valueOf(c.name())).setWeight(x).build()));
        List<NodeCap> caps = new ArrayList<>();
        current.maxQueued().forEach((n, q) -> caps.add(NodeCap.newBuilder().setNodeId(n).setMaxQueued(q).build()));
        RoutingPolicy policy = RoutingPolicy.newBuilder().setVersion(w.windowEnd)
                .setIssuedAt(Instant.ofEpochMilli(w.windowEnd)).setClassWeights(weights)
                .setExcludedNodeIds(List.copyOf(current.excluded())).setNodeCaps(caps)
                .setBrain(o.brain() == Brain.LLM ? BrainKind.LLM : BrainKind.OPTIMIZER).build();
        if (o.decision() != null) {
            out.records.add(new Outbound(Topics.ROUTING_POLICY.name(), Topics.CITY_KEY, POLICIES.encode(policy),
                    w.windowEnd));
        }
        String rationale = o.decision() != null ? o.decision().rationale() : "no decision could stand";
        out.records.add(Decisions.record("short-term/" + w.windowEnd, AgentKind.SHORT_TERM_SCHEDULING, o,
                render(s), weightsJson(current), rationale, w.windowEnd));
        return out;
    }

    /** The situation of window {@code w}: per class its stats, per server its load, the weights in force. */
    static SchedulingSituation situation(ShortWindow w, RoutingWeights current, PlannerSettings settings) {
        Map<ModelClass, ClassStats> classes = new EnumMap<>(ModelClass.class);
        for (ModelClass c : ModelClass.values()) {
            int i = c.ordinal();
            long n = w.ended(i);
            if (n > 0) {
                classes.put(c, new ClassStats(n, w.latencySum[i] / n, w.slowdownSum[i] / n, w.latency[i].quantile(0.95)));
            }
        }
        List<ServerLoad> servers = new ArrayList<>();
        long freshAfter = w.windowEnd - settings.heartbeatTimeout().toMillis();
        w.nodes.forEach((id, n) -> {
            if (n.states > 0) {
                servers.add(new ServerLoad(id, n.lastStateAt >= freshAfter, n.lastQueued, n.lastRunning,
                        Math.min(1, n.utilisationSum / n.states), n.memoryUtilisation));
            }
        });
        return new SchedulingSituation(w.windowEnd / 1000.0, classes, servers, current);
    }

    static String render(SchedulingSituation s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "window end %.0f s%n", s.windowEnd()));
        s.classes().forEach((c, x) -> b.append(String.format(Locale.ROOT,
                "class %s n=%d mean=%.3f p95=%.3f slowdown=%.3f weight=%.3f%n", c, x.count(), x.meanLatencySeconds(),
                x.p95LatencySeconds(), x.meanSlowdown(), s.current().weight(c))));
        s.servers().forEach(l -> b.append(String.format(Locale.ROOT, "server %s up=%s queued=%d running=%d util=%.2f "
                + "mem=%.2f%n", l.serverId(), l.up(), l.queued(), l.running(), l.utilisation(), l.memoryUtilisation())));
        return b.toString();
    }

    static String weightsJson(RoutingWeights w) {
        StringBuilder b = new StringBuilder("{");
        for (ModelClass c : ModelClass.values()) {
            b.append(c.ordinal() == 0 ? "" : ",").append('"').append(c).append("\":")
                    .append(String.format(Locale.ROOT, "%.4f", w.weight(c)));
        }
        return b.append('}').toString();
    }
}
