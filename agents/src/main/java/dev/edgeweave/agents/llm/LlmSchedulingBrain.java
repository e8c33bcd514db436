package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ShortTermSchedulingAgent;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The short-term scheduling agent's language-model brain: renders the window as tables
 * ({@link SituationTables#scheduling}), adds the most similar past windows from experience memory, asks the
 * model through {@link SchedulingAdvisor}, and turns its answer into the routing weights in force with the
 * answer's class weights set (exclusions and queue caps are kept).
 *
 * <p>It throws an {@link LlmAnswerException} when the model gives no usable answer: unparseable, an unknown
 * class, a class set twice, a weight outside [0.1, 10] (the routing weights cannot hold it), a timeout, an
 * error of the model server. Run it under {@code GuardedAgent} with {@code OptimizerSchedulingBrain} as the
 * fallback, which then decides and records why.
 *
 * <p>Each decision is remembered in the experience memory under a fresh id ({@link #lastExperienceId}); the
 * caller sets its outcome one period later if the decision took effect. Not for concurrent use.
 */
public final class LlmSchedulingBrain implements ShortTermSchedulingAgent {

    /** The experience memory's name of this agent. */
    public static final String AGENT = "scheduling";

    private final SchedulingAdvisor advisor;
    private final LlmBrainCore core;

    /**
     * @param chatModel the model, from {@link ChatModels#create} (or a scripted one in tests)
     * @param memory    where past decisions are recalled from and this one is remembered;
     *                  {@link ExperienceMemory#NONE} for none
     * @param options   how many past situations to recall, and the deadline
     */
    public LlmSchedulingBrain(ChatModel chatModel, ExperienceMemory memory, LlmBrainOptions options) {
        this.advisor = AiServices.builder(SchedulingAdvisor.class).chatModel(chatModel).build();
        this.core = new LlmBrainCore(AGENT, memory, options);
    }

    /** A brain talking to the model of {@code settings}, recalling {@code recall} past situations. */
    public static LlmSchedulingBrain create(LlmSettings settings, ExperienceMemory memory, int recall) {
        return new LlmSchedulingBrain(ChatModels.create(settings), memory,
                LlmBrainOptions.forSettings(settings, recall));
    }

    @Override
    public SchedulingDecision decide(SchedulingSituation s) {
        core.begin();
        String situation = SituationTables.scheduling(s);
        String experience = core.recall(situation);
        SchedulingAdvisor.WeightsAnswer answer = core.ask(() -> advisor.decide(situation, experience));
        SchedulingDecision decision = toDecision(s, answer);
        core.remember(s.windowEnd(), situation, json(decision));
        return decision;
    }

    /** The id under which the last decision was remembered; empty if the last call gave no decision. */
    public Optional<String> lastExperienceId() {
        return core.lastExperienceId();
    }

    static SchedulingDecision toDecision(SchedulingSituation s, SchedulingAdvisor.WeightsAnswer answer) {
        LlmBrainCore.required(answer.weights(), "the answer's weights list");
        Map<ModelClass, Double> set = new EnumMap<>(ModelClass.class);
        for (SchedulingAdvisor.ClassWeightAnswer w : answer.weights()) {
            LlmBrainCore.required(w, "a weights entry");
            ModelClass c = modelClass(LlmBrainCore.required(w.modelClass(), "the class of a weight"));
            Double value = LlmBrainCore.required(w.weight(), "the weight of " + c);
            if (set.put(c, value) != null) {
                throw LlmBrainCore.unusable("the answer sets the weight of " + c + " twice");
            }
        }
        Map<ModelClass, Double> weights = new EnumMap<>(ModelClass.class);
        weights.putAll(s.current().classWeights());
        weights.putAll(set);
        RoutingWeights next;
        try {
            next = s.current().withClassWeights(weights);
        } catch (IllegalArgumentException e) {
            throw LlmBrainCore.unusable(e.getMessage());
        }
        return new SchedulingDecision(next, LlmBrainCore.rationale(answer.rationale()));
    }

    private static ModelClass modelClass(String name) {
        try {
            return ModelClass.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw LlmBrainCore.unusable("unknown class '" + name + "'; the classes are "
                    + Arrays.toString(ModelClass.values()));
        }
    }

    /** The decision as experience memory stores it, e.g. {@code {"weights":{"CHAT":1.500},"rationale":"..."}}. */
    static String json(SchedulingDecision d) {
        CompactJson j = new CompactJson().begin();
        j.beginObject("weights");
        d.weights().classWeights().forEach((c, w) -> j.field(c.name(), w));
        j.end();
        return j.field("rationale", d.rationale()).end().toString();
    }
}
