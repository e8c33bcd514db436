package dev.edgeweave.planner;

import dev.edgeweave.agents.Agent;
import dev.edgeweave.agents.AgentBrains;
import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.ClassStats;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.OptimizerSchedulingBrain;
import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ShortTermSchedulingAgent;
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

/**
 * The short-term scheduling agent on each short window, through Flink's async I/O (a language-model brain can
 * take seconds; the operator's timeout then puts the optimizer's decision in its place, and the record says
 * so). Its brain keeps a decaying memory of the classes' slowdown across windows; that memory is not in
 * Flink's state, so after a restart it starts afresh (a few windows to settle). Emits the {@code RoutingPolicy}
 * (key {@code city}, version = the window's end) and the {@code AgentDecision}.
 */
public class SchedulingCall extends AgentCall<ShortWindow, Decided> {

    private static final AvroCodec<RoutingPolicy> POLICIES = AvroCodec.of(RoutingPolicy.class);
    private transient Agent<SchedulingSituation, SchedulingDecision> agent;
    private transient ShortTermSchedulingAgent optimizer;
    /** Guards {@link #current} and {@link #timedOut}; the brain's call runs outside it. */
    private transient Object lock;
    private transient RoutingWeights current;
    /** Windows whose decision the timeout made: the brain's late answer for them is dropped. */
    private transient java.util.Set<Long> timedOut;

    public SchedulingCall(PlannerSettings settings) {
        super("short-term-agent", settings);
    }

    @Override
    void start(AgentBrains brains) {
        // The optimizer has a memory (decaying slowdowns): one lock for its every use, the fallback's included.
        OptimizerSchedulingBrain brain = new OptimizerSchedulingBrain();
        optimizer = s -> {
            synchronized (brain) {
                return brain.decide(s);
            }
        };
        Guard guard = new Guard(ModelCatalog.standard(), settings.churnLimit());
        agent = brains.scheduling(optimizer, guard);
        lock = new Object();
        current = RoutingWeights.NEUTRAL;
        timedOut = new java.util.HashSet<>();
    }

    /**
     * One decision; with a timeout reason, the optimizer's alone. The brain is asked outside the lock, so a slow
     * language model never holds up the timeout's decision; its answer for a window the timeout already decided
     * is dropped.
     */
    @Override
    Decided decide(ShortWindow w, String timedOutReason) {
        SchedulingSituation s;
        synchronized (lock) {
            s = situation(w, current, settings);
        }
        AgentOutcome<SchedulingDecision> o = timedOutReason == null ? agent.decide(s)
                : new AgentOutcome<>(optimizer.decide(s), Brain.OPTIMIZER, AgentOutcome.Verdict.REPLACED, List.of(),
                        timedOutReason, 0);
        synchronized (lock) {
            if (timedOutReason != null) {
                timedOut.add(w.windowEnd);
            } else if (timedOut.remove(w.windowEnd)) {
                return new Decided();
            }
            if (o.decision() != null) {
                current = o.decision().weights();
            }
            agent.measured(o, s.measure());
            return records(w, s, o);
        }
    }

    private Decided records(ShortWindow w, SchedulingSituation s, AgentOutcome<SchedulingDecision> o) {
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
