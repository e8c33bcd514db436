package dev.edgeweave.agents;

import dev.edgeweave.agents.llm.ChatModels;
import dev.edgeweave.agents.llm.LlmBrainOptions;
import dev.edgeweave.agents.llm.LlmDeploymentBrain;
import dev.edgeweave.agents.llm.LlmPlanningBrain;
import dev.edgeweave.agents.llm.LlmSchedulingBrain;
import dev.edgeweave.agents.memory.EmbeddingExperienceMemory;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.model.ModelCatalog;
import dev.langchain4j.model.chat.ChatModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The brains a component's agents run, as {@link AgentsConfig} says: each agent's primary brain (its optimizer,
 * or the LLM brain) under the guard, with the optimizer as the fallback whenever the primary's answer cannot
 * stand (unparseable, refused by the guard, timed out, failed). One chat model and one experience memory are
 * shared by the agents of a component.
 */
public final class AgentBrains implements AutoCloseable {

    private final AgentsConfig config;
    private final ModelCatalog catalog;
    private final ChatModel chatModel;
    private final ExperienceMemory memory;
    private final LlmBrainOptions options;

    /**
     * Brains on the model server of {@code config} (built only if an agent runs the LLM brain), with the
     * experience memory in {@code config}'s directory (none if empty).
     */
    public static AgentBrains create(AgentsConfig config, ModelCatalog catalog) {
        ChatModel model = config.anyLlm() ? ChatModels.create(config.llm(System.getenv())) : null;
        ExperienceMemory memory = config.memoryDirectory().<ExperienceMemory>map(d ->
                EmbeddingExperienceMemory.open(Path.of(d))).orElse(ExperienceMemory.NONE);
        return new AgentBrains(config, catalog, model, memory);
    }

    /**
     * Brains on a given chat model and memory (a test's scripted model, the testbed's shared memory).
     *
     * @param chatModel the model of the LLM brains; may be null when no agent runs one
     */
    public AgentBrains(AgentsConfig config, ModelCatalog catalog, ChatModel chatModel, ExperienceMemory memory) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.memory = Objects.requireNonNull(memory, "memory");
        if (config.anyLlm() && chatModel == null) {
            throw new IllegalArgumentException("an agent runs the LLM brain, but no chat model was given");
        }
        this.chatModel = chatModel;
        // The brain's own deadline a second after the HTTP timeout, so the clearer HTTP timeout fires first.
        this.options = new LlmBrainOptions(config.recall(), Duration.ofMillis(config.timeoutMillis()).plusSeconds(1));
    }

    public AgentsConfig config() {
        return config;
    }

    public ExperienceMemory memory() {
        return memory;
    }

    /** The short-term scheduling agent; {@code optimizer} is its optimizer brain (primary or fallback). */
    public Agent<SchedulingSituation, SchedulingDecision> scheduling(ShortTermSchedulingAgent optimizer, Guard guard) {
        if (config.scheduling() == Brain.LLM) {
            LlmSchedulingBrain llm = new LlmSchedulingBrain(chatModel, memory, options);
            return new Agent<>(new GuardedAgent<>(llm::decide, Brain.LLM, optimizer::decide, guard::check),
                    llm::lastExperienceId, memory);
        }
        return Agent.of(new GuardedAgent<>(optimizer::decide, Brain.OPTIMIZER, optimizer::decide, guard::check));
    }

    /** The long-term planning agent. */
    public Agent<PlanningSituation, PlanningDecision> planning(LongTermPlanningAgent optimizer, Guard guard,
                                                              int churnLimit) {
        if (config.planning() == Brain.LLM) {
            LlmPlanningBrain llm = new LlmPlanningBrain(chatModel, catalog, churnLimit, memory, options);
            return new Agent<>(new GuardedAgent<>(llm::decide, Brain.LLM, optimizer::decide, guard::check),
                    llm::lastExperienceId, memory);
        }
        return Agent.of(new GuardedAgent<>(optimizer::decide, Brain.OPTIMIZER, optimizer::decide, guard::check));
    }

    /**
     * An on-node deployment agent.
     *
     * @param clock city seconds now (when a decision is remembered)
     */
    public Agent<DeploymentSituation, DeploymentDecision> deployment(OnNodeDeploymentAgent optimizer, Guard guard,
                                                                    DoubleSupplier clock) {
        if (config.deployment() == Brain.LLM) {
            LlmDeploymentBrain llm = new LlmDeploymentBrain(chatModel, catalog, memory, options, clock);
            return new Agent<>(new GuardedAgent<>(llm::decide, Brain.LLM, optimizer::decide, guard::check),
                    llm::lastExperienceId, memory);
        }
        return Agent.of(new GuardedAgent<>(optimizer::decide, Brain.OPTIMIZER, optimizer::decide, guard::check));
    }

    /** The model's name, for logs ({@code none} without LLM brains). */
    public String describe() {
        return config.anyLlm() ? "LLM brains on " + config.model() + " at " + config.baseUrl() + " (scheduling "
                + config.scheduling() + ", planning " + config.planning() + ", deployment " + config.deployment() + ")"
                : "optimizer brains";
    }

    public Optional<ChatModel> chatModel() {
        return Optional.ofNullable(chatModel);
    }

    @Override
    public void close() {
        memory.close();
    }
}
