package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.agents.memory.ExperienceMemory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three LLM brains share: recalling similar past situations, asking the model under the deadline,
 * remembering the decision taken, and tidying the model's rationale.
 */
final class LlmBrainCore {

    private static final Logger LOG = LoggerFactory.getLogger(LlmBrainCore.class);

    /** What the prompt says in place of past situations when the memory failed. */
    static final String MEMORY_FAILED = "(none: the experience memory is unavailable)\n";

    /** The longest rationale kept in a decision. */
    static final int MAX_RATIONALE = 400;

    private final String agent;
    private final ExperienceMemory memory;
    private final LlmBrainOptions options;
    private volatile String lastExperienceId;

    LlmBrainCore(String agent, ExperienceMemory memory, LlmBrainOptions options) {
        this.agent = agent;
        this.memory = Objects.requireNonNull(memory, "memory (use ExperienceMemory.NONE for none)");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Forgets the last decision's id: called first thing by every decision, so a failed one leaves none. */
    void begin() {
        lastExperienceId = null;
    }

    /**
     * The past situations most similar to {@code situation}, rendered for the prompt. Experience is an aid, not
     * a precondition: when the memory fails the model decides without it, and the failure is logged.
     */
    String recall(String situation) {
        if (options.recall() == 0) {
            return SituationTables.experiences(List.of());
        }
        try {
            return SituationTables.experiences(memory.recall(agent, situation, options.recall()));
        } catch (RuntimeException e) {
            LOG.warn("{} agent: experience memory failed to recall, deciding without experience: {}", agent,
                    e.toString());
            return MEMORY_FAILED;
        }
    }

    /** The model's answer to {@code call}, within the deadline; an {@link LlmAnswerException} otherwise. */
    <T> T ask(Supplier<T> call) {
        T answer = LlmCall.within(options.deadline(), call);
        if (answer == null) {
            throw new LlmAnswerException(LlmAnswerException.Kind.UNPARSEABLE, "the model gave an empty answer");
        }
        return answer;
    }

    /**
     * Remembers the decision taken (its outcome to be set by the caller), under a fresh id. A memory that fails
     * does not cost the decision: the failure is logged and there is no id to measure.
     */
    void remember(double at, String situation, String decision) {
        String id = agent + "-" + UUID.randomUUID();
        try {
            memory.remember(new Experience(id, agent, at, situation, decision, ""));
            lastExperienceId = id;
        } catch (RuntimeException e) {
            LOG.warn("{} agent: experience memory failed to remember decision {}: {}", agent, id, e.toString());
        }
    }

    Optional<String> lastExperienceId() {
        return Optional.ofNullable(lastExperienceId);
    }

    /** The model's rationale on one line, cut to {@link #MAX_RATIONALE} characters. */
    static String rationale(String raw) {
        if (raw == null || raw.isBlank()) {
            return "no rationale given";
        }
        String line = raw.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_RATIONALE ? line : line.substring(0, MAX_RATIONALE) + "…";
    }

    /** An {@link LlmAnswerException} of kind {@code UNUSABLE}. */
    static LlmAnswerException unusable(String detail) {
        return new LlmAnswerException(LlmAnswerException.Kind.UNUSABLE, detail);
    }

    /** {@code value}, or an unusable-answer exception naming {@code what} is missing. */
    static <T> T required(T value, String what) {
        if (value == null) {
            throw unusable(what + " is missing");
        }
        return value;
    }
}
