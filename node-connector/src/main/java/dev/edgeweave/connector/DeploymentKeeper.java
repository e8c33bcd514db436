package dev.edgeweave.connector;

import dev.edgeweave.agents.Agent;
import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.DeploymentDecision;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.connector.runtime.ModelRuntime;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.v1.DeploymentCommand;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's deployments: what the planner's commands want (the <i>target</i>), and the on-node deployment
 * agent that turns the target and what the runtime holds into ordered actions (DESIGN.md, "Agents").
 *
 * <ul>
 *   <li><b>Commands</b> fold into the target in order: {@code LOAD} adds a deployment (or changes its slots
 *       and GPU), {@code UNLOAD} removes it, {@code RESIZE} changes its slots. A command is applied at most once
 *       by its id (a replay or a duplicate does nothing), and whole or not at all: one for another server, of
 *       an unknown model, for a GPU the server lacks, with slots below 1, or whose target would not fit the
 *       server's memory is refused with a reason, and the target stays as it was.</li>
 *   <li><b>Reconciling</b>, after every accepted command and every state change (a load done or failed, a
 *       drain done): the agent, under the {@link Guard}, plans from what the runtime holds to the target
 *       (drain and unload first, then loads, then resizes), and the actions go to the runtime. A load that
 *       must wait for a drain to free memory is planned again when that drain ends.</li>
 * </ul>
 *
 * Every decision (a refusal, a plan, a failed load) is reported through {@link Reporter}, for
 * {@code agent-decisions} and the failures in {@code NodeState}. Confined to the node thread.
 */
final class DeploymentKeeper {

    /** Where the keeper's decisions go. */
    interface Reporter {
        /** The agent planned (its outcome, the situation it saw, and what triggered it). */
        void planned(AgentOutcome<DeploymentDecision> outcome, DeploymentSituation situation, String trigger);

        /** A command was refused, or a deployment failed: the reason, for NodeState and agent-decisions. */
        void failed(String modelId, String commandId, String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentKeeper.class);
    /** Command ids remembered to refuse replays: far more than a server sees between two plans. */
    static final int REMEMBERED_COMMANDS = 100_000;

    private final EdgeServer server;
    private final ModelCatalog catalog;
    private final ModelRuntime runtime;
    private final Agent<DeploymentSituation, DeploymentDecision> agent;
    private final Reporter reporter;
    private final Map<String, Deployment> target = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    /** Deployments loaded on demand (not by a command), with when each was last used, in city seconds. */
    private final Map<String, Double> onDemand = new LinkedHashMap<>();
    private final Deque<String> seenOrder = new ArrayDeque<>();
    /** Times each remembered command was applied: 1 each, the invariant a lab checks. Read from any thread. */
    private final Map<String, Integer> applications = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param agent the on-node deployment agent: its brain (the optimizer unless a language model is configured)
     *              under the guard, with the optimizer as the fallback
     */
    DeploymentKeeper(EdgeServer server, ModelCatalog catalog, ModelRuntime runtime,
                     Agent<DeploymentSituation, DeploymentDecision> agent, Reporter reporter) {
        this.server = Objects.requireNonNull(server, "server");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    /** What the commands want now, by model. */
    Map<String, Deployment> target() {
        return Map.copyOf(target);
    }

    /** Whether a command with this id was applied or refused already (a replay does nothing). */
    boolean knows(String commandId) {
        return seen.contains(commandId);
    }

    /**
     * Applies one command.
     *
     * @return null when it was applied (or was a replay, which does nothing), else why it was refused
     */
    String apply(DeploymentCommand c) {
        String id = c.getCommandId();
        if (seen.contains(id)) {
            LOG.debug("command {} was applied already: ignored", id);
            return null;
        }
        String refusal = check(c);
        remember(id);
        if (refusal != null) {
            LOG.warn("refused command {} ({} {}): {}", id, c.getAction(), c.getModelId(), refusal);
            reporter.failed(c.getModelId(), id, refusal);
            return refusal;
        }
        applications.merge(id, 1, Integer::sum);
        Map<String, Deployment> next = next(c);
        onDemand.remove(c.getModelId());
        if (!next.equals(target)) {
            target.clear();
            target.putAll(next);
            reconcile("command " + id + " (" + c.getAction() + " " + c.getModelId() + ")");
        }
        return null;
    }

    /** How many times each remembered command id was applied (a copy). */
    Map<String, Integer> applications() {
        return Map.copyOf(applications);
    }

    /**
     * Loads {@code model} for a prompt routed here as a cold start (the scheduler saw it fit): into the target,
     * on the GPU with the least memory to spare that fits it now, with one batch slot, kept while used and
     * unloaded after {@code keepAlive} idle ({@link #expire}).
     *
     * @return whether it is now deployed (loading); false when no GPU has the memory free
     */
    boolean loadOnDemand(ModelSpec model, double now) {
        if (target.containsKey(model.id())) {
            return false;
        }
        long[] held = new long[server.gpus().size()];
        for (int g = 0; g < held.length; g++) {
            held[g] = runtime.memoryUsedBytes(g);
        }
        int best = OnNodePacker.bestFitGpu(server, held, model.memoryBytes());
        if (best < 0) {
            return false;
        }
        target.put(model.id(), new Deployment(model.id(), best, 1));
        onDemand.put(model.id(), now);
        reconcile("prompt for " + model.id() + ", not held: loaded on demand");
        return runtime.deployments().stream().anyMatch(d -> d.modelId().equals(model.id()));
    }

    /** A prompt was submitted to {@code modelId}: an on-demand deployment stays loaded. */
    void used(String modelId, double now) {
        onDemand.computeIfPresent(modelId, (k, v) -> now);
    }

    /** Unloads on-demand deployments idle for longer than {@code keepAliveSeconds}. */
    void expire(double now, double keepAliveSeconds) {
        List<String> idle = new ArrayList<>();
        for (Map.Entry<String, Double> e : onDemand.entrySet()) {
            boolean busy = runtime.deployments().stream().anyMatch(d -> d.modelId().equals(e.getKey())
                    && d.queued() + d.running() > 0);
            if (!busy && now - e.getValue() > keepAliveSeconds) {
                idle.add(e.getKey());
            }
        }
        if (!idle.isEmpty()) {
            idle.forEach(m -> {
                onDemand.remove(m);
                target.remove(m);
            });
            reconcile("on-demand " + idle + " idle for more than " + keepAliveSeconds + " s");
        }
    }

    /** {@code modelId} failed to load: it leaves the target until a new command asks for it again. */
    void loadFailed(String modelId, String reason) {
        target.remove(modelId);
        onDemand.remove(modelId);
        reporter.failed(modelId, null, "load failed: " + reason);
        reconcile("load of " + modelId + " failed");
    }

    /**
     * Plans from what the runtime holds to the target and hands the actions to the runtime.
     *
     * @param trigger what caused it, for the decision's record
     */
    void reconcile(String trigger) {
        List<OnNodePacker.Current> current = new ArrayList<>();
        for (ModelRuntime.DeploymentInfo d : runtime.deployments()) {
            current.add(new OnNodePacker.Current(d.modelId(), d.gpuIndex(), d.concurrency(), d.shareWeight(),
                    d.queued() + d.running(), d.status() == ModelRuntime.DeploymentInfo.Status.DRAINING));
        }
        DeploymentSituation situation = new DeploymentSituation(server, current, List.copyOf(target.values()));
        AgentOutcome<DeploymentDecision> outcome = agent.decide(situation);
        int inFlight = current.stream().mapToInt(OnNodePacker.Current::inFlight).sum();
        agent.measured(outcome, inFlight + " prompts in flight over " + current.size() + " deployments");
        if (outcome.decision() != null && !outcome.decision().plan().actions().isEmpty()
                || outcome.verdict() != AgentOutcome.Verdict.ACCEPTED) {
            reporter.planned(outcome, situation, trigger);
        }
        if (outcome.decision() == null) {
            LOG.warn("the deployment agent's plan was refused ({}): nothing changes", outcome.fallbackReason());
            return;
        }
        for (OnNodePacker.Action a : outcome.decision().plan().actions()) {
            try {
                switch (a.kind()) {
                    case UNLOAD -> runtime.unload(a.modelId());
                    case LOAD -> runtime.load(catalog.require(a.modelId()), a.gpuIndex(), a.concurrency(),
                            a.shareWeight());
                    case RESIZE -> runtime.resize(a.modelId(), a.concurrency(), a.shareWeight());
                }
            } catch (RuntimeException e) {
                // The runtime refused (a state the plan did not foresee): report it, go on with the rest.
                LOG.warn("{} of {} failed: {}", a.kind(), a.modelId(), e.getMessage());
                reporter.failed(a.modelId(), null, a.kind().name().toLowerCase(Locale.ROOT) + " failed: "
                        + e.getMessage());
            }
        }
    }

    private String check(DeploymentCommand c) {
        if (!server.id().equals(c.getNodeId())) {
            return "the command is for server " + c.getNodeId() + ", not " + server.id();
        }
        ModelSpec model = catalog.find(c.getModelId()).orElse(null);
        if (model == null) {
            return "unknown model " + c.getModelId();
        }
        Integer gpu = c.getGpuIndex();
        if (gpu != null && (gpu < 0 || gpu >= server.gpus().size())) {
            return "GPU " + gpu + " does not exist: " + server.id() + " has " + server.gpus().size();
        }
        Integer slots = c.getConcurrency();
        if (slots != null && slots < 1) {
            return "concurrency must be at least 1, was " + slots;
        }
        switch (c.getAction()) {
            case LOAD -> {
                if (gpu != null && model.memoryBytes() > server.gpus().get(gpu).memoryBytes()) {
                    return String.format(Locale.ROOT, "%s needs %.1f GB, more than GPU %d's %.1f GB", model.id(),
                            model.memoryBytes() / 1e9, gpu, server.gpus().get(gpu).memoryBytes() / 1e9);
                }
                List<Deployment> after = List.copyOf(next(c).values());
                OnNodePacker.Plan fromEmpty = OnNodePacker.plan(server, catalog, List.of(), after);
                if (!fromEmpty.deferred().isEmpty()) {
                    return String.format(Locale.ROOT, "%s (%.1f GB) does not fit beside the %d deployments %s "
                            + "holds or is loading", model.id(), model.memoryBytes() / 1e9, target.size(), server.id());
                }
            }
            case RESIZE -> {
                if (!target.containsKey(model.id())) {
                    return "cannot resize " + model.id() + ": " + server.id() + " does not hold it";
                }
            }
            case UNLOAD -> {
                // Unloading what is not held is already done: nothing to refuse.
            }
        }
        return null;
    }

    private Map<String, Deployment> next(DeploymentCommand c) {
        Map<String, Deployment> next = new LinkedHashMap<>(target);
        Deployment now = target.get(c.getModelId());
        switch (c.getAction()) {
            case LOAD -> {
                int gpu = c.getGpuIndex() != null ? c.getGpuIndex() : now != null ? now.gpuIndex()
                        : bestFit(catalog.require(c.getModelId()).memoryBytes());
                int slots = c.getConcurrency() != null ? c.getConcurrency() : now != null ? now.concurrency() : 1;
                double weight = now != null ? now.shareWeight() : 1.0;
                next.put(c.getModelId(), new Deployment(c.getModelId(), gpu, slots, weight));
            }
            case UNLOAD -> next.remove(c.getModelId());
            case RESIZE -> {
                if (now != null && c.getConcurrency() != null) {
                    next.put(c.getModelId(), new Deployment(now.modelId(), now.gpuIndex(), c.getConcurrency(),
                            now.shareWeight()));
                }
            }
        }
        return next;
    }

    /**
     * The GPU with the least memory to spare once {@code bytes} more are on it, counting what the target
     * places on each; GPU 0 when none has room (the fit check then refuses the command).
     */
    private int bestFit(long bytes) {
        long[] used = new long[server.gpus().size()];
        target.values().forEach(d -> used[d.gpuIndex()] += catalog.require(d.modelId()).memoryBytes());
        return Math.max(0, OnNodePacker.bestFitGpu(server, used, bytes));
    }

    private void remember(String id) {
        seen.add(id);
        seenOrder.addLast(id);
        if (seenOrder.size() > REMEMBERED_COMMANDS) {
            String forgotten = seenOrder.removeFirst();
            seen.remove(forgotten);
            applications.remove(forgotten);
        }
    }
}
