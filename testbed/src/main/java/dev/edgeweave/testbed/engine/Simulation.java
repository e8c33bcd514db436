package dev.edgeweave.testbed.engine;

import dev.edgeweave.agents.Agent;
import dev.edgeweave.agents.AgentBrains;
import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.ClassStats;
import dev.edgeweave.agents.DeploymentDecision;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.LongTermPlanningAgent;
import dev.edgeweave.agents.OnNodeDeploymentAgent;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerDeploymentBrain;
import dev.edgeweave.agents.OptimizerPlanningBrain;
import dev.edgeweave.agents.OptimizerSchedulingBrain;
import dev.edgeweave.agents.PlanningDecision;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ServerLoad;
import dev.edgeweave.agents.ShortTermSchedulingAgent;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.latency.LatencyModel;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.PromptSizeMean;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.OnDemandLoading;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.routing.Admission;
import dev.edgeweave.core.routing.EdgeweaveRouter;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.edgeweave.core.server.DeploymentStatus;
import dev.edgeweave.core.server.DeploymentView;
import dev.edgeweave.core.server.EmulatedServer;
import dev.edgeweave.core.server.Job;
import dev.edgeweave.core.server.ServerListener;
import dev.edgeweave.core.sim.DiscreteEventScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One policy on one workload, in simulated city time (DESIGN.md, "Evaluation"): arrivals, uplink, RTT and
 * downlink per link, routing, queueing and service on {@link EmulatedServer}s, the short-term agent every
 * 10 s and the long-term agent every 60 s (as in the live pipeline), failures and recoveries, re-routing of a
 * failed server's queued and running prompts. The run drains: after the last arrival it goes on until every
 * prompt has its terminal record.
 *
 * <p>A prompt's life here mirrors the pipeline's: the router decides when the prompt arrives; the prompt
 * reaches the server after its uplink transfer and half the RTT; the server queues and serves it; the answer
 * reaches the user after the other half of the RTT and the downlink transfer. A server that is down, or no
 * longer holds the model, hands the prompt back and it is routed again, excluding that server, up to
 * {@value EngineSetup#MAX_ATTEMPTS} attempts. A failure is noticed after {@value EngineSetup#MISSED_HEARTBEATS}
 * missed heartbeats; until then the router may still pick the dead server.
 *
 * <p>Prompts dispatched but not yet arrived count in the router's view of the server's queue (the scheduler's
 * local deltas), so a burst does not all land on one server. The router sees the engine through an
 * {@link EngineView}.
 *
 * <p>Deterministic: the same setup, arrivals, policy and seed give the same result.
 */
public final class Simulation {

    private static final ModelClass[] CLASSES = ModelClass.values();

    private final EngineSetup setup;
    private final Arrivals arrivals;
    private final PolicySpec policy;
    private final long seed;
    private final List<FailureEvent> failures;
    private final double eventSeconds;

    // Run state.
    private final DiscreteEventScheduler scheduler = new DiscreteEventScheduler();
    private final int nServers;
    private final int nModels;
    private final EmulatedServer[] servers;
    private final boolean[] routerDown;
    private final double[] detectedAt;
    private final int[][] inTransit;
    private final DeploymentView[][] deployments;
    private final int[] transitTotal;
    private final double[][] busyAtLastTick;
    private final double[][] gpuUtil;
    private final ModelSpec[] models;
    private final int[] concurrency;
    private Router router;
    private RoutingWeights weights = RoutingWeights.NEUTRAL;
    private double offset;

    // Per prompt.
    private final int n;
    private final RouteRequest[] requests;
    private final byte[] attempts;
    private final int[] servedBy;
    private final boolean[] completed;
    private final double[] latency;
    private final double[] slowdown;
    private final double[] slo;
    private final byte[] terminals;
    private final Map<Integer, BitSet> excluded = new HashMap<>();
    private int nextArrival;
    private int done;
    private long rerouted;
    private double lastTerminal;

    // Agents.
    private final AgentBrains brains;
    private Agent<SchedulingSituation, SchedulingDecision> shortTerm;
    private Agent<PlanningSituation, PlanningDecision> longTerm;
    /** One on-node agent per server (each its own feedback on what it decided). */
    private Agent<DeploymentSituation, DeploymentDecision>[] onNode;
    /** The latest short window's measure, for the agents' outcomes. */
    private String lastMeasure = "no prompt ended yet";
    private final Map<Integer, List<Deployment>> targets = new HashMap<>();
    private long decisions;
    private long refusals;
    private final double[][] windowLatency = new double[CLASSES.length][];
    private final int[] windowCount = new int[CLASSES.length];
    private final double[] windowSlowdownSum = new double[CLASSES.length];
    private int demandFrom;

    private final EngineView view;

    /** Admission control as the live scheduler's ({@link #withAdmission}); 0: every prompt is admitted. */
    private double admissionFactor;

    /** The live pipeline's own hops, city seconds: prompt to server, and answer to user (see {@link #withHops}). */
    private double dispatchHopSeconds;
    private double answerHopSeconds;

    /**
     * @param setup    the scenario's city, models and static placement
     * @param arrivals the workload, sorted by time
     * @param policy   the row to run
     * @param seed     the run's seed (routers that draw at random use it)
     * @param failures server failures to inject
     * @param shiftAt  city seconds of a demand shift in the workload, NaN when none (for recovery time)
     */
    public Simulation(EngineSetup setup, Arrivals arrivals, PolicySpec policy, long seed, List<FailureEvent> failures,
                      double shiftAt) {
        this(setup, arrivals, policy, seed, failures, shiftAt, new AgentBrains(AgentsConfig.OPTIMIZERS,
                setup.catalog(), null, dev.edgeweave.agents.memory.ExperienceMemory.NONE));
    }

    /**
     * A run whose agents run {@code brains} (optimizer or LLM brains, as configured).
     *
     * @param brains the agents' brains, for the policies that run agents
     */
    public Simulation(EngineSetup setup, Arrivals arrivals, PolicySpec policy, long seed, List<FailureEvent> failures,
                      double shiftAt, AgentBrains brains) {
        this.brains = java.util.Objects.requireNonNull(brains, "brains");
        this.setup = setup;
        this.arrivals = arrivals;
        this.policy = policy;
        this.seed = seed;
        this.failures = List.copyOf(failures);
        this.eventSeconds = !failures.isEmpty() ? failures.get(0).atSeconds() : shiftAt;
        nServers = setup.servers().size();
        nModels = setup.models().size();
        servers = new EmulatedServer[nServers];
        routerDown = new boolean[nServers];
        detectedAt = new double[nServers];
        inTransit = new int[nServers][nModels];
        deployments = new DeploymentView[nServers][nModels];
        transitTotal = new int[nServers];
        busyAtLastTick = new double[nServers][];
        gpuUtil = new double[nServers][];
        models = setup.models().toArray(new ModelSpec[0]);
        concurrency = new int[nModels];
        for (int m = 0; m < nModels; m++) {
            concurrency[m] = PlacementPlanner.concurrencyFor(models[m]);
        }
        n = arrivals.size();
        requests = new RouteRequest[n];
        attempts = new byte[n];
        servedBy = new int[n];
        Arrays.fill(servedBy, -1);
        completed = new boolean[n];
        latency = new double[n];
        slowdown = new double[n];
        slo = new double[n];
        terminals = new byte[n];
        for (int c = 0; c < CLASSES.length; c++) {
            windowLatency[c] = new double[64];
        }
        view = new EngineView(setup, policy, scheduler, servers, deployments, routerDown, excluded, inTransit,
                transitTotal, gpuUtil, models, concurrency);
    }

    /**
     * Adds the live pipeline's own hops to every prompt, for comparing a run with the lab (DESIGN.md, "Time"):
     * {@code dispatchSeconds} between the routing decision and the prompt's arrival at the server (the
     * scheduler's commit and the connector's poll), {@code answerSeconds} between the server's answer and the
     * user (the result's way back through the scheduler). Both 0 unless set.
     *
     * @throws IllegalArgumentException when either is negative or not finite
     */
    public Simulation withHops(double dispatchSeconds, double answerSeconds) {
        if (!(dispatchSeconds >= 0) || !(answerSeconds >= 0) || Double.isInfinite(dispatchSeconds)
                || Double.isInfinite(answerSeconds)) {
            throw new IllegalArgumentException("hop delays must be finite and >= 0, were " + dispatchSeconds + " and "
                    + answerSeconds);
        }
        this.dispatchHopSeconds = dispatchSeconds;
        this.answerHopSeconds = answerSeconds;
        return this;
    }

    /**
     * Refuses a new prompt whose chosen server's predicted latency is over {@code factor} times its SLO, as the
     * live scheduler does ({@link Admission}): for comparing a run with the lab. 0 (the default) admits all.
     */
    public Simulation withAdmission(double factor) {
        if (!(factor == 0 || factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("the admission factor must be 0 or finite and >= 1, was " + factor);
        }
        this.admissionFactor = factor;
        return this;
    }

    /** Runs to the end (every prompt terminal) and returns the per-prompt records. */
    public RunResult run() {
        router = policy.router().create(seed, () -> weights);
        Listener listener = new Listener();
        for (int s = 0; s < nServers; s++) {
            EdgeServer spec = setup.servers().get(s);
            servers[s] = new EmulatedServer(s, spec, scheduler, listener);
            busyAtLastTick[s] = new double[spec.gpus().size()];
            gpuUtil[s] = new double[spec.gpus().size()];
        }
        // Warm start: every policy begins with the static placement loaded; the workload starts once it is.
        double warmup = 0;
        for (int s = 0; s < nServers; s++) {
            warmup = Math.max(warmup, loadStatic(s));
        }
        offset = Math.ceil(warmup) + 1;
        if (policy.placement() == PlacementMode.AGENTS) {
            Guard guard = new Guard(setup.catalog(), PlacementPlanner.DYNAMIC.maxChangesPerServer());
            LongTermPlanningAgent planning = new OptimizerPlanningBrain();
            OnNodeDeploymentAgent deployment = new OptimizerDeploymentBrain(setup.catalog());
            longTerm = brains.planning(planning, guard, PlacementPlanner.DYNAMIC.maxChangesPerServer());
            @SuppressWarnings("unchecked")
            Agent<DeploymentSituation, DeploymentDecision>[] agents = new Agent[nServers];
            for (int s = 0; s < nServers; s++) {
                agents[s] = brains.deployment(deployment, guard, scheduler::now);
            }
            onNode = agents;
            scheduler.schedule(offset + EngineSetup.LONG_PERIOD_SECONDS, this::longTermTick);
        }
        if (policy.fairness()) {
            Guard guard = new Guard(setup.catalog(), PlacementPlanner.DYNAMIC.maxChangesPerServer());
            ShortTermSchedulingAgent scheduling = new OptimizerSchedulingBrain();
            shortTerm = brains.scheduling(scheduling, guard);
        }
        scheduler.schedule(offset + EngineSetup.SHORT_PERIOD_SECONDS, this::shortTick);
        if (policy.placement() == PlacementMode.ONDEMAND) {
            scheduler.schedule(offset + 30, this::keepAliveTick);
        }
        for (FailureEvent f : failures) {
            scheduler.schedule(offset + f.atSeconds(), () -> fail(f));
        }
        if (n > 0) {
            scheduler.scheduleAt(offset + arrivals.time(0), this::arrive);
        }
        scheduler.run();
        double[] arrival = new double[n];
        int[] model = new int[n];
        int[] user = new int[n];
        int[] ap = new int[n];
        for (int i = 0; i < n; i++) {
            arrival[i] = arrivals.time(i);
            model[i] = arrivals.model(i);
            user[i] = arrivals.user(i);
            ap[i] = arrivals.accessPoint(i);
        }
        return new RunResult(policy.name(), seed, arrival, model, user, ap, servedBy, attempts, completed, latency,
                slowdown, slo, terminals, rerouted, lastTerminal - offset, n == 0 ? 0 : arrivals.time(n - 1),
                eventSeconds, decisions, refusals);
    }

    /** Loads a model on server {@code s}, keeping the router's index of deployments current. */
    private void load(int s, ModelSpec m, int gpu, int slots, double share) {
        deployments[s][setup.modelIndex(m.id())] = servers[s].load(m, gpu, slots, share);
    }

    /** The live deployment of model {@code m} on server {@code s}, or null; no map lookup per prompt. */
    private DeploymentView deployment(int s, int m) {
        return view.deployment(s, m);
    }

    private double loadStatic(int s) {
        double longest = 0;
        for (Deployment d : setup.staticPlacement().deploymentsOf(setup.servers().get(s).id())) {
            ModelSpec m = models[setup.modelIndex(d.modelId())];
            load(s, m, d.gpuIndex(), d.concurrency(), d.shareWeight());
            longest = Math.max(longest, LatencyLaws.loadSeconds(m, setup.servers().get(s).storageBytesPerSecond()));
        }
        return longest;
    }

    // ---- arrivals and routing -----------------------------------------------------------------------------

    private void arrive() {
        int i = nextArrival++;
        int m = arrivals.model(i);
        PromptSize size = arrivals.size(i);
        slo[i] = arrivals.sloSeconds(i);
        requests[i] = new RouteRequest(Integer.toString(i), models[m], size, Integer.toString(arrivals.user(i)),
                setup.city().accessPoints().get(arrivals.accessPoint(i)).id(), slo[i],
                LatencyLaws.referenceInferenceSeconds(models[m], size));
        route(i);
        if (nextArrival < n) {
            scheduler.scheduleAt(offset + arrivals.time(nextArrival), this::arrive);
        }
    }

    private void route(int i) {
        if (attempts[i] >= EngineSetup.MAX_ATTEMPTS) {
            reject(i);
            return;
        }
        attempts[i]++;
        int m = arrivals.model(i);
        view.build(i, m, arrivals.accessPoint(i));
        int c = view.size() == 0 ? -1 : router.choose(requests[i], view);
        if (c < 0) {
            reject(i);
            return;
        }
        if (attempts[i] == 1 && admissionFactor > 0 && !Admission.admits(EdgeweaveRouter.predict(requests[i], view, c)
                .totalS(), requests[i].sloSeconds(), admissionFactor)) {
            reject(i);
            return;
        }
        int s = view.serverIndex(c);
        router.onDispatched(requests[i], s, scheduler.now());
        inTransit[s][m]++;
        transitTotal[s]++;
        NetworkPath path = setup.path(arrivals.accessPoint(i), s);
        double delay = LatencyModel.uplinkSeconds(requests[i].size(), path) + path.rttSeconds() / 2
                + dispatchHopSeconds;
        scheduler.schedule(delay, () -> reachServer(i, s));
    }

    private void reachServer(int i, int s) {
        int m = arrivals.model(i);
        inTransit[s][m]--;
        transitTotal[s]--;
        EmulatedServer e = servers[s];
        if (!e.up()) {
            handBackWhenNoticed(i, s);
            return;
        }
        DeploymentView d = deployment(s, m);
        if (d == null && policy.coldStart()) {
            int gpu = policy.placement() == PlacementMode.ONDEMAND
                    ? OnDemandLoading.makeRoom(e, models[m], v -> inTransitTo(e, v)) : e.bestFitGpu(models[m]);
            if (gpu >= 0) {
                load(s, models[m], gpu, concurrency[m], 1.0);
                if (policy.placement() == PlacementMode.AGENTS && targets.containsKey(s)) {
                    // The on-node agent adopts a load the router asked for, so its next pass keeps it; the
                    // planner sees it in the placement in force from then on.
                    List<Deployment> adopted = new ArrayList<>(targets.get(s));
                    adopted.add(new Deployment(models[m].id(), gpu, concurrency[m]));
                    targets.put(s, adopted);
                }
            }
        }
        if (!e.submit(new Job(i, models[m], requests[i].size(), scheduler.now(), null))) {
            handBack(i, s);
        }
    }

    private void handBackWhenNoticed(int i, int s) {
        double wait = Math.max(0, detectedAt[s] - scheduler.now());
        if (!routerDown[s] && wait == 0) {
            wait = EngineSetup.MISSED_HEARTBEATS * EngineSetup.HEARTBEAT_SECONDS;
        }
        scheduler.schedule(wait, () -> handBack(i, s));
    }

    private void handBack(int i, int s) {
        excluded.computeIfAbsent(i, k -> new BitSet(nServers)).set(s);
        router.onFinished(requests[i], s, scheduler.now() - offset - arrivals.time(i), false, scheduler.now());
        if (attempts[i] == 1) {
            rerouted++;
        }
        route(i);
    }

    private void reject(int i) {
        terminal(i, slo[i], false, -1, scheduler.now());
    }

    private void terminal(int i, double lat, boolean ok, int server, double at) {
        terminals[i]++;
        latency[i] = lat;
        completed[i] = ok;
        servedBy[i] = server;
        slowdown[i] = lat / requests[i].referenceInferenceSeconds();
        lastTerminal = Math.max(lastTerminal, at);
        int c = models[arrivals.model(i)].modelClass().ordinal();
        if (windowCount[c] == windowLatency[c].length) {
            windowLatency[c] = Arrays.copyOf(windowLatency[c], windowCount[c] * 2);
        }
        windowLatency[c][windowCount[c]++] = lat;
        windowSlowdownSum[c] += slowdown[i];
        excluded.remove(i);
        requests[i] = ok ? null : requests[i];
        done++;
    }

    /** Whether prompts are on their way to this deployment (the router's knowledge, not the server's). */
    private boolean inTransitTo(EmulatedServer e, DeploymentView d) {
        return view.inTransitTo(e, d);
    }

    // ---- failures -----------------------------------------------------------------------------------------

    private void fail(FailureEvent f) {
        if (finished()) {
            return;
        }
        int s = resolve(f.node());
        List<Job> lost = servers[s].fail();
        double noticed = EngineSetup.MISSED_HEARTBEATS * EngineSetup.HEARTBEAT_SECONDS;
        detectedAt[s] = scheduler.now() + noticed;
        scheduler.schedule(noticed, () -> {
            routerDown[s] = true;
            if (longTerm != null) {
                // The planner re-plans as soon as a server is known to be down, not at its next period.
                plan();
            }
        });
        for (Job j : lost) {
            int i = (int) j.id();
            scheduler.schedule(noticed, () -> handBack(i, s));
        }
        if (!Double.isInfinite(f.downForSeconds())) {
            // Back up no earlier than the failure was noticed, so the two never cross.
            scheduler.schedule(Math.max(f.downForSeconds(), noticed), () -> recover(s));
        }
    }

    private void recover(int s) {
        servers[s].recover();
        targets.remove(s);
        scheduler.schedule(EngineSetup.HEARTBEAT_SECONDS, () -> {
            routerDown[s] = false;
            if (longTerm != null) {
                // A server back up is planned for at once, like one going down.
                plan();
            }
        });
        if (policy.placement() != PlacementMode.AGENTS) {
            loadStatic(s);
        }
    }

    private int resolve(String node) {
        if (FailureEvent.BUSIEST.equals(node)) {
            int best = 0;
            for (int s = 1; s < nServers; s++) {
                if (servers[s].inFlight() + transitTotal[s] > servers[best].inFlight() + transitTotal[best]) {
                    best = s;
                }
            }
            return best;
        }
        for (int s = 0; s < nServers; s++) {
            if (setup.servers().get(s).id().equals(node)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--fail names server '" + node + "', which the scenario does not have");
    }

    // ---- periodic work ------------------------------------------------------------------------------------

    private boolean finished() {
        return done == n && nextArrival == n;
    }

    private void shortTick() {
        double period = EngineSetup.SHORT_PERIOD_SECONDS;
        for (int s = 0; s < nServers; s++) {
            for (int g = 0; g < gpuUtil[s].length; g++) {
                double busy = servers[s].busySeconds(g);
                gpuUtil[s][g] = Math.min(1.0, (busy - busyAtLastTick[s][g]) / period);
                busyAtLastTick[s][g] = busy;
            }
        }
        if (shortTerm != null) {
            Map<ModelClass, ClassStats> stats = new EnumMap<>(ModelClass.class);
            for (int c = 0; c < CLASSES.length; c++) {
                if (windowCount[c] > 0) {
                    double[] l = Arrays.copyOf(windowLatency[c], windowCount[c]);
                    Arrays.sort(l);
                    double sum = 0;
                    for (double x : l) {
                        sum += x;
                    }
                    stats.put(CLASSES[c], new ClassStats(l.length, sum / l.length,
                            windowSlowdownSum[c] / l.length, l[(int) Math.min(l.length - 1, Math.floor(0.95 * l.length))]));
                }
            }
            SchedulingSituation situation = new SchedulingSituation(scheduler.now() - offset, stats, serverLoads(),
                    weights);
            AgentOutcome<SchedulingDecision> o = shortTerm.decide(situation);
            record(o);
            lastMeasure = situation.measure();
            shortTerm.measured(o, lastMeasure);
            if (o.decision() != null) {
                weights = o.decision().weights();
            }
        }
        if (onNode != null) {
            // A queue building up or draining is a state change the on-node agents act on (batch slots).
            for (int s = 0; s < nServers; s++) {
                deploy(s);
            }
        }
        Arrays.fill(windowCount, 0);
        Arrays.fill(windowSlowdownSum, 0);
        if (!finished()) {
            scheduler.schedule(period, this::shortTick);
        }
    }

    private List<ServerLoad> serverLoads() {
        List<ServerLoad> loads = new ArrayList<>(nServers);
        for (int s = 0; s < nServers; s++) {
            EmulatedServer e = servers[s];
            int queued = 0;
            int running = 0;
            for (DeploymentView d : e.deployments()) {
                queued += d.queued();
                running += d.running();
            }
            double util = 0;
            for (double u : gpuUtil[s]) {
                util += u;
            }
            loads.add(new ServerLoad(e.spec().id(), !routerDown[s], queued, running, util / gpuUtil[s].length,
                    e.memoryUtilisation()));
        }
        return loads;
    }

    private void longTermTick() {
        plan();
        if (!finished()) {
            scheduler.schedule(EngineSetup.LONG_PERIOD_SECONDS, this::longTermTick);
        }
    }

    /** One decision of the long-term agent, and the on-node agents carrying it out. */
    private void plan() {
        double now = scheduler.now();
        // Demand over the trailing window: counts since the window's first arrival still inside it.
        double windowStart = Math.max(offset, now - EngineSetup.DEMAND_WINDOW_SECONDS);
        PromptSizeMean[] sizes = new PromptSizeMean[nModels];
        for (int m = 0; m < nModels; m++) {
            sizes[m] = new PromptSizeMean();
        }
        while (demandFrom < nextArrival && offset + arrivals.time(demandFrom) < windowStart) {
            demandFrom++;
        }
        for (int i = demandFrom; i < nextArrival; i++) {
            sizes[arrivals.model(i)].add(arrivals.size(i));
        }
        double span = Math.max(1.0, now - windowStart);
        List<ModelDemand> demand = new ArrayList<>(nModels);
        for (int m = 0; m < nModels; m++) {
            PromptSize typical = sizes[m].count() == 0 ? setup.mix().get(m).typical() : sizes[m].mean();
            demand.add(new ModelDemand(models[m], sizes[m].count() / span, typical));
        }
        // The planner knows what the heartbeats tell: a server is down once its failure is noticed.
        Set<String> down = new HashSet<>();
        for (int s = 0; s < nServers; s++) {
            if (routerDown[s]) {
                down.add(setup.servers().get(s).id());
            }
        }
        AgentOutcome<PlanningDecision> o = longTerm.decide(new PlanningSituation(now - offset, setup.servers(), down,
                demand, actualPlacement(), weights));
        record(o);
        longTerm.measured(o, lastMeasure);
        if (o.decision() != null) {
            Placement p = o.decision().placement();
            for (int s = 0; s < nServers; s++) {
                if (!down.contains(setup.servers().get(s).id())) {
                    targets.put(s, p.deploymentsOf(setup.servers().get(s).id()));
                    deploy(s);
                }
            }
        }
    }

    private Placement actualPlacement() {
        Map<String, List<Deployment>> byServer = new LinkedHashMap<>();
        for (int s = 0; s < nServers; s++) {
            if (routerDown[s]) {
                continue;
            }
            List<Deployment> list = new ArrayList<>();
            for (DeploymentView d : servers[s].deployments()) {
                if (d.status() != DeploymentStatus.DRAINING) {
                    list.add(new Deployment(d.modelId(), d.gpuIndex(), d.concurrency(), d.shareWeight()));
                }
            }
            byServer.put(setup.servers().get(s).id(), list);
        }
        return new Placement(byServer);
    }

    /** The on-node agent of server {@code s}: from what it holds to its target. */
    private void deploy(int s) {
        List<Deployment> target = targets.get(s);
        EmulatedServer e = servers[s];
        if (target == null || !e.up()) {
            return;
        }
        List<OnNodePacker.Current> current = new ArrayList<>();
        for (DeploymentView d : e.deployments()) {
            current.add(new OnNodePacker.Current(d.modelId(), d.gpuIndex(), d.concurrency(), d.shareWeight(),
                    d.queued() + d.running(), d.status() == DeploymentStatus.DRAINING));
        }
        AgentOutcome<DeploymentDecision> o = onNode[s].decide(new DeploymentSituation(e.spec(), current, target));
        record(o);
        onNode[s].measured(o, String.format(Locale.ROOT, "%d prompts in flight at %s; city: %s", e.inFlight(),
                e.spec().id(), lastMeasure));
        if (o.decision() == null) {
            return;
        }
        for (OnNodePacker.Action a : o.decision().plan().actions()) {
            ModelSpec m = models[setup.modelIndex(a.modelId())];
            switch (a.kind()) {
                case UNLOAD -> {
                    for (Job j : e.unload(a.modelId())) {
                        handBack((int) j.id(), s);
                    }
                }
                case LOAD -> load(s, m, a.gpuIndex(), a.concurrency(), a.shareWeight());
                case RESIZE -> e.resize(a.modelId(), a.concurrency(), a.shareWeight());
            }
        }
    }

    private void keepAliveTick() {
        double now = scheduler.now();
        for (EmulatedServer e : servers) {
            if (e.up()) {
                for (String model : OnDemandLoading.expired(e, now, v -> inTransitTo(e, v))) {
                    e.unload(model);
                }
            }
        }
        if (!finished()) {
            scheduler.schedule(30, this::keepAliveTick);
        }
    }

    private void record(AgentOutcome<?> o) {
        decisions++;
        if (o.verdict() != AgentOutcome.Verdict.ACCEPTED) {
            refusals++;
        }
    }

    // ---- the server's callbacks ---------------------------------------------------------------------------

    private final class Listener implements ServerListener {
        @Override
        public void onCompleted(EmulatedServer server, Job job, double queueSeconds, double loadWaitSeconds,
                                double serviceSeconds, double now) {
            int i = (int) job.id();
            int s = server.serverIndex();
            NetworkPath path = setup.path(arrivals.accessPoint(i), s);
            double back = path.rttSeconds() / 2 + LatencyModel.downlinkSeconds(job.model(), job.size(), path)
                    + answerHopSeconds;
            double lat = now + back - offset - arrivals.time(i);
            RouteRequest r = requests[i];
            terminal(i, lat, true, s, now + back);
            router.onFinished(r, s, lat, true, now);
        }

        @Override
        public void onUnloaded(EmulatedServer server, String modelId, double now) {
            if (policy.placement() == PlacementMode.AGENTS && server.up()) {
                scheduler.schedule(0, () -> deploy(server.serverIndex()));
            }
        }
    }
}
