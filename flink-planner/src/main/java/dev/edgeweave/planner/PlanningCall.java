package dev.edgeweave.planner;

import dev.edgeweave.agents.Agent;
import dev.edgeweave.agents.AgentBrains;
import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.OptimizerPlanningBrain;
import dev.edgeweave.agents.PlanningDecision;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSizeMean;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AgentKind;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-term planning agent on each long window, through Flink's async I/O: the situation (servers and their
 * GPUs from their states, which are down, demand per model with its mean prompt, the placement they report,
 * the routing weights), the agent under the guard (the optimizer's decision replaces a timed-out or refused
 * answer), then the {@code DeploymentPlan} (key {@code city}), the {@code AgentDecision}, and the commands
 * that move each server from what it reports to the plan ({@link CommandDiff}). The plan's id is the window's
 * end, so a restart re-deriving a window's plan issues the same command ids.
 */
public class PlanningCall extends AgentCall<PlanInput, List<Outbound>> {

    private static final Logger LOG = LoggerFactory.getLogger(PlanningCall.class);
    private static final AvroCodec<DeploymentPlan> PLANS = AvroCodec.of(DeploymentPlan.class);
    private static final AvroCodec<DeploymentCommand> COMMANDS = AvroCodec.of(DeploymentCommand.class);
    private transient Agent<PlanningSituation, PlanningDecision> agent;
    private transient OptimizerPlanningBrain optimizer;
    private transient ModelCatalog catalog;
    /** Windows whose plan the timeout made: the brain's late answer for them is dropped, not remembered. */
    private final java.util.Set<Long> timedOutWindows = new java.util.HashSet<>();

    public PlanningCall(PlannerSettings settings) {
        super("long-term-agent", settings);
    }

    @Override
    void start(AgentBrains brains) {
        catalog = ModelCatalog.standard();
        PlacementPlanner.Options dynamic = PlacementPlanner.DYNAMIC;
        optimizer = new OptimizerPlanningBrain(new PlacementPlanner.Options(dynamic.targetUtilisation(),
                settings.churnLimit(), dynamic.minImprovement(), dynamic.maxDeploymentsPerGpu()));
        Guard guard = new Guard(catalog, settings.churnLimit());
        agent = brains.planning(optimizer, guard, settings.churnLimit());
    }

    @Override
    List<Outbound> decide(PlanInput in, String timedOut) {
        LongWindow w = in.window;
        Situation sit = situation(w, in.weights, catalog, settings);
        AgentOutcome<PlanningDecision> o;
        if (timedOut == null) {
            o = agent.decide(sit.situation());
        } else {
            o = new AgentOutcome<>(optimizer.decide(sit.situation()), Brain.OPTIMIZER, AgentOutcome.Verdict.REPLACED,
                    List.of(), timedOut, 0);
        }
        synchronized (timedOutWindows) {
            if (timedOut != null) {
                timedOutWindows.add(w.windowEnd);
            } else if (timedOutWindows.remove(w.windowEnd)) {
                return List.of(); // the timeout's decision stood for this window: the late answer is dropped
            } else {
                agent.measured(o, measure(sit.situation()));
            }
        }
        List<Outbound> out = new ArrayList<>();
        String planId = "plan-" + w.windowEnd;
        Instant at = Instant.ofEpochMilli(w.windowEnd);
        String rationale = o.decision() != null ? o.decision().rationale() : "no plan could stand";
        if (o.decision() == null) {
            out.add(Decisions.record("long-term/" + w.windowEnd, AgentKind.LONG_TERM_PLANNING, o,
                    render(sit.situation()), "{}", rationale, w.windowEnd));
            return out;
        }
        Placement p = o.decision().placement();
        List<dev.edgeweave.v1.Placement> placements = new ArrayList<>();
        new TreeMap<>(p.byServer()).forEach((node, ds) -> ds.forEach(d -> placements.add(dev.edgeweave.v1.Placement
                .newBuilder().setNodeId(node).setModelId(d.modelId()).setReplicas(1).build())));
        DeploymentPlan plan = DeploymentPlan.newBuilder().setPlanId(planId).setVersion(w.windowEnd).setIssuedAt(at)
                .setPlacements(placements).setBrain(o.brain() == Brain.LLM ? BrainKind.LLM : BrainKind.OPTIMIZER)
                .setRationale(rationale).build();
        out.add(new Outbound(Topics.DEPLOYMENT_PLANS.name(), Topics.CITY_KEY, PLANS.encode(plan), w.windowEnd));
        List<DeploymentCommand> commands = CommandDiff.diff(planId, p, sit.reported(), settings.churnLimit(), at);
        for (DeploymentCommand c : commands) {
            out.add(new Outbound(Topics.DEPLOYMENT_COMMANDS.name(), c.getNodeId(), COMMANDS.encode(c), w.windowEnd));
        }
        out.add(Decisions.record("long-term/" + w.windowEnd, AgentKind.LONG_TERM_PLANNING, o, render(sit.situation()),
                String.format(Locale.ROOT, "{\"planId\":\"%s\",\"deployments\":%d,\"commands\":%d}", planId, p.size(),
                        commands.size()), rationale, w.windowEnd));
        LOG.info("{}: {} deployments, {} commands ({})", planId, p.size(), commands.size(), rationale);
        return out;
    }

    /** The planning situation and what the up servers report holding. */
    record Situation(PlanningSituation situation, Map<String, Collection<CommandDiff.Held>> reported) {
    }

    static Situation situation(LongWindow w, double[] weights, ModelCatalog catalog, PlannerSettings settings) {
        GpuCatalog gpus = GpuCatalog.standard();
        List<EdgeServer> servers = new ArrayList<>();
        Set<String> down = new HashSet<>();
        Map<String, List<Deployment>> current = new LinkedHashMap<>();
        Map<String, Collection<CommandDiff.Held>> reported = new TreeMap<>();
        long freshAfter = w.windowEnd - settings.heartbeatTimeout().toMillis();
        for (CityEvent s : w.latestState.values()) {
            List<GpuType> types = new ArrayList<>();
            for (String t : s.gpuTypes) {
                Optional<GpuType> g = gpus.find(t);
                if (g.isEmpty()) {
                    LOG.warn("server {} reports GPU type {}, which the catalog lacks: left out of the plan", s.nodeId, t);
                    types = null;
                    break;
                }
                types.add(g.get());
            }
            if (types == null || types.isEmpty()) {
                continue;
            }
            EdgeServer server = new EdgeServer(s.nodeId, s.siteId == null ? s.nodeId : s.siteId, types,
                    s.storageBytesPerSecond > 0 ? s.storageBytesPerSecond : EdgeServer.DEFAULT_STORAGE_BYTES_PER_SECOND);
            servers.add(server);
            if (s.time < freshAfter || s.draining) {
                down.add(s.nodeId);
                continue;
            }
            List<Deployment> held = new ArrayList<>();
            List<CommandDiff.Held> heldIds = new ArrayList<>();
            for (String h : s.holdings) {
                // modelId@gpu:slots:weight
                int at = h.lastIndexOf('@');
                String[] parts = h.substring(at + 1).split(":");
                String model = h.substring(0, at);
                int gpu = Integer.parseInt(parts[0]);
                int slots = Integer.parseInt(parts[1]);
                double weight = Double.parseDouble(parts[2]);
                heldIds.add(new CommandDiff.Held(model, gpu, slots));
                if (catalog.find(model).isPresent() && gpu >= 0 && gpu < types.size()) {
                    held.add(new Deployment(model, gpu, Math.max(1, slots), weight > 0 ? weight : 1.0));
                }
            }
            current.put(s.nodeId, held);
            reported.put(s.nodeId, heldIds);
        }
        double span = Math.max(1.0, (w.windowEnd - w.windowStart) / 1000.0);
        List<ModelDemand> demand = new ArrayList<>();
        for (Map.Entry<String, PromptSizeMean> d : w.demand.entrySet()) {
            ModelSpec m = catalog.find(d.getKey()).orElse(null);
            if (m != null && d.getValue().count() > 0) {
                demand.add(new ModelDemand(m, d.getValue().count() / span, d.getValue().mean()));
            }
        }
        Map<ModelClass, Double> classWeights = new EnumMap<>(ModelClass.class);
        if (weights != null) {
            for (ModelClass c : ModelClass.values()) {
                classWeights.put(c, weights[c.ordinal()]);
            }
        }
        RoutingWeights rw = RoutingWeights.NEUTRAL.withClassWeights(classWeights);
        return new Situation(new PlanningSituation(w.windowEnd / 1000.0, servers, down, demand, new Placement(current),
                rw), reported);
    }

    /** The window's measure for the agent's memory: demand and how many servers are down. */
    static String measure(PlanningSituation s) {
        double rate = s.demand().stream().mapToDouble(ModelDemand::rate).sum();
        return String.format(Locale.ROOT, "demand %.3f prompts/s over %d models; %d of %d servers down; %d deployments",
                rate, s.demand().size(), s.down().size(), s.servers().size(), s.current().size());
    }

    static String render(PlanningSituation s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "at %.0f s: %d servers, %d down%n", s.now(),
                s.servers().size(), s.down().size()));
        s.demand().forEach(d -> b.append(String.format(Locale.ROOT, "demand %s %.4f/s%n", d.model().id(), d.rate())));
        new TreeMap<>(s.current().byServer()).forEach((n, ds) -> b.append("holds ").append(n).append(' ')
                .append(ds.stream().map(Deployment::modelId).sorted().toList()).append('\n'));
        return b.toString();
    }
}
