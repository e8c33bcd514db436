package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.LongTermPlanningAgent;
import dev.edgeweave.agents.PlanningDecision;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.Placement;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The long-term planning agent's language-model brain: renders servers, GPUs, what they hold and the demand
 * per model as tables ({@link SituationTables#planning}), adds the most similar past periods from experience
 * memory, asks the model through {@link PlanningAdvisor}, and turns its answer into a {@link Placement}.
 *
 * <p>The answer is mapped as given, so that the guard sees what the model said: a server or model that does
 * not exist, a GPU a server does not have, a GPU over its memory or a down server reach the guard and are
 * refused there. What a {@code Placement} cannot hold at all (a missing field, a negative GPU, fewer than one
 * slot, a model twice on one server) is an {@link LlmAnswerException}, as are a timeout and a model error.
 * Run it under {@code GuardedAgent} with {@code OptimizerPlanningBrain} as the fallback.
 *
 * <p>A deployment that stays keeps its share weight; a new one gets share 1. Each decision is remembered in
 * the experience memory under a fresh id ({@link #lastExperienceId}). Not for concurrent use.
 */
public final class LlmPlanningBrain implements LongTermPlanningAgent {

    /** The experience memory's name of this agent. */
    public static final String AGENT = "planning";

    private final PlanningAdvisor advisor;
    private final ModelCatalog catalog;
    private final int churnLimit;
    private final LlmBrainCore core;

    /**
     * @param chatModel  the model, from {@link ChatModels#create} (or a scripted one in tests)
     * @param catalog    the models, for their memory in the tables
     * @param churnLimit loads plus unloads allowed per server per period, as the guard enforces it (told to
     *                   the model so it can keep to it)
     * @param memory     where past decisions are recalled from and this one is remembered
     * @param options    how many past situations to recall, and the deadline
     */
    public LlmPlanningBrain(ChatModel chatModel, ModelCatalog catalog, int churnLimit, ExperienceMemory memory,
                            LlmBrainOptions options) {
        if (churnLimit < 0) {
            throw new IllegalArgumentException("churnLimit must be >= 0, was " + churnLimit);
        }
        this.advisor = AiServices.builder(PlanningAdvisor.class).chatModel(chatModel).build();
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.churnLimit = churnLimit;
        this.core = new LlmBrainCore(AGENT, memory, options);
    }

    /** A brain talking to the model of {@code settings}, recalling {@code recall} past situations. */
    public static LlmPlanningBrain create(LlmSettings settings, ModelCatalog catalog, int churnLimit,
                                          ExperienceMemory memory, int recall) {
        return new LlmPlanningBrain(ChatModels.create(settings), catalog, churnLimit, memory,
                LlmBrainOptions.forSettings(settings, recall));
    }

    @Override
    public PlanningDecision decide(PlanningSituation s) {
        core.begin();
        String situation = SituationTables.planning(s, catalog);
        String experience = core.recall(situation);
        PlanningAdvisor.PlacementAnswer answer = core.ask(() -> advisor.decide(situation, churnLimit, experience));
        PlanningDecision decision = toDecision(s, answer);
        core.remember(s.now(), situation, json(decision));
        return decision;
    }

    /** The id under which the last decision was remembered; empty if the last call gave no decision. */
    public Optional<String> lastExperienceId() {
        return core.lastExperienceId();
    }

    static PlanningDecision toDecision(PlanningSituation s, PlanningAdvisor.PlacementAnswer answer) {
        LlmBrainCore.required(answer.deployments(), "the answer's deployments list");
        Map<String, List<Deployment>> byServer = new LinkedHashMap<>();
        int n = 0;
        for (PlanningAdvisor.DeploymentAnswer d : answer.deployments()) {
            n++;
            LlmBrainCore.required(d, "deployment " + n);
            String server = LlmBrainCore.required(d.server(), "the server of deployment " + n).strip();
            String model = LlmBrainCore.required(d.model(), "the model of deployment " + n).strip();
            String what = model + " on " + server;
            int gpu = LlmBrainCore.required(d.gpu(), "the GPU of " + what);
            int slots = LlmBrainCore.required(d.slots(), "the slots of " + what);
            double share = s.current().find(server, model).map(Deployment::shareWeight).orElse(1.0);
            Deployment deployment;
            try {
                deployment = new Deployment(model, gpu, slots, share);
            } catch (IllegalArgumentException e) {
                throw LlmBrainCore.unusable(what + ": " + e.getMessage());
            }
            byServer.computeIfAbsent(server, k -> new ArrayList<>()).add(deployment);
        }
        Placement placement;
        try {
            placement = new Placement(byServer);
        } catch (IllegalArgumentException e) {
            throw LlmBrainCore.unusable(e.getMessage());
        }
        return new PlanningDecision(placement, LlmBrainCore.rationale(answer.rationale()));
    }

    /** The decision as experience memory stores it: every deployment, then the rationale. */
    static String json(PlanningDecision d) {
        CompactJson j = new CompactJson().begin().beginArray("deployments");
        d.placement().byServer().forEach((server, deployments) -> deployments.forEach(x -> j.begin()
                .field("server", server).field("model", x.modelId()).field("gpu", x.gpuIndex())
                .field("slots", x.concurrency()).end()));
        return j.endArray().field("rationale", d.rationale()).end().toString();
    }
}
