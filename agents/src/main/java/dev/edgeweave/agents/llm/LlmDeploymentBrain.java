package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.DeploymentDecision;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.agents.OnNodeDeploymentAgent;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The on-node deployment agent's language-model brain: renders the server's GPUs, what it holds and its part
 * of the plan as tables ({@link SituationTables#deployment}), adds the most similar past situations from
 * experience memory, asks the model through {@link DeploymentAdvisor}, and turns its answer into an
 * {@link OnNodePacker.Plan}.
 *
 * <p>Actions are mapped as given, so that the guard sees what the model said: an unknown model, a GPU the
 * server does not have, a load over a GPU's memory, a load of a model held already, a share or slot count out
 * of range reach the guard and are refused there. What a plan cannot hold at all (an unknown action kind, a
 * missing field, a deferred model that is not in the target) is an {@link LlmAnswerException}, as are a
 * timeout and a model error. Run it under {@code GuardedAgent} with {@code OptimizerDeploymentBrain} as the
 * fallback.
 *
 * <p>Each decision is remembered in the experience memory under a fresh id ({@link #lastExperienceId}), at
 * the time the clock gives (a deployment situation carries no time of its own). Not for concurrent use.
 */
public final class LlmDeploymentBrain implements OnNodeDeploymentAgent {

    /** The experience memory's name of this agent. */
    public static final String AGENT = "deployment";

    private final DeploymentAdvisor advisor;
    private final ModelCatalog catalog;
    private final LlmBrainCore core;
    private final DoubleSupplier clock;

    /**
     * @param chatModel the model, from {@link ChatModels#create} (or a scripted one in tests)
     * @param catalog   the models, for their memory in the tables
     * @param memory    where past decisions are recalled from and this one is remembered
     * @param options   how many past situations to recall, and the deadline
     * @param clock     city seconds now, the time a decision is remembered at
     */
    public LlmDeploymentBrain(ChatModel chatModel, ModelCatalog catalog, ExperienceMemory memory,
                              LlmBrainOptions options, DoubleSupplier clock) {
        this.advisor = AiServices.builder(DeploymentAdvisor.class).chatModel(chatModel).build();
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.core = new LlmBrainCore(AGENT, memory, options);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A brain talking to the model of {@code settings}, recalling {@code recall} past situations. */
    public static LlmDeploymentBrain create(LlmSettings settings, ModelCatalog catalog, ExperienceMemory memory,
                                            int recall, DoubleSupplier clock) {
        return new LlmDeploymentBrain(ChatModels.create(settings), catalog, memory,
                LlmBrainOptions.forSettings(settings, recall), clock);
    }

    @Override
    public DeploymentDecision decide(DeploymentSituation s) {
        core.begin();
        String situation = SituationTables.deployment(s, catalog);
        String experience = core.recall(situation);
        DeploymentAdvisor.PlanAnswer answer = core.ask(() -> advisor.decide(situation, experience));
        DeploymentDecision decision = toDecision(s, answer);
        core.remember(clock.getAsDouble(), situation, json(decision));
        return decision;
    }

    /** The id under which the last decision was remembered; empty if the last call gave no decision. */
    public Optional<String> lastExperienceId() {
        return core.lastExperienceId();
    }

    static DeploymentDecision toDecision(DeploymentSituation s, DeploymentAdvisor.PlanAnswer answer) {
        LlmBrainCore.required(answer.actions(), "the answer's actions list");
        List<OnNodePacker.Action> actions = new ArrayList<>();
        int n = 0;
        for (DeploymentAdvisor.ActionAnswer a : answer.actions()) {
            n++;
            LlmBrainCore.required(a, "action " + n);
            OnNodePacker.Action.Kind kind = kind(LlmBrainCore.required(a.kind(), "the kind of action " + n));
            String model = LlmBrainCore.required(a.model(), "the model of action " + n).strip();
            String what = kind + " of " + model;
            actions.add(new OnNodePacker.Action(kind, model, LlmBrainCore.required(a.gpu(), "the GPU of " + what),
                    LlmBrainCore.required(a.slots(), "the slots of " + what),
                    LlmBrainCore.required(a.share(), "the share of " + what)));
        }
        Map<String, Deployment> target = new HashMap<>();
        s.target().forEach(d -> target.put(d.modelId(), d));
        List<Deployment> deferred = new ArrayList<>();
        for (String id : answer.deferred() == null ? List.<String>of() : answer.deferred()) {
            String model = LlmBrainCore.required(id, "a deferred model id").strip();
            Deployment d = target.get(model);
            if (d == null) {
                throw LlmBrainCore.unusable("defers " + model + ", which is not in " + s.server().id()
                        + "'s target " + target.keySet().stream().sorted().toList());
            }
            deferred.add(d);
        }
        return new DeploymentDecision(new OnNodePacker.Plan(actions, deferred),
                LlmBrainCore.rationale(answer.rationale()));
    }

    private static OnNodePacker.Action.Kind kind(String name) {
        try {
            return OnNodePacker.Action.Kind.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw LlmBrainCore.unusable("unknown action kind '" + name + "'; the kinds are "
                    + Arrays.toString(OnNodePacker.Action.Kind.values()));
        }
    }

    /** The decision as experience memory stores it: the actions in order, the deferred models, the rationale. */
    static String json(DeploymentDecision d) {
        CompactJson j = new CompactJson().begin().beginArray("actions");
        d.plan().actions().forEach(a -> j.begin().field("kind", a.kind().name()).field("model", a.modelId())
                .field("gpu", a.gpuIndex()).field("slots", a.concurrency()).field("share", a.shareWeight()).end());
        j.endArray().beginArray("deferred");
        d.plan().deferred().forEach(x -> j.element(x.modelId()));
        return j.endArray().field("rationale", d.rationale()).end().toString();
    }
}
