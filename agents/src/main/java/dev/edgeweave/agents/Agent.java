package dev.edgeweave.agents;

import dev.edgeweave.agents.memory.ExperienceMemory;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One agent as a component runs it: its brain under the guard ({@link GuardedAgent}), and the feedback that
 * gives each remembered decision its outcome one period later (DESIGN.md, "Agents": experience memory).
 *
 * <p>After each decision the caller reports {@link #measured} with what the decision was taken on, as numbers
 * in a line of text (e.g. the window's mean latency and fairness); that same line is the outcome of the
 * previous decision, one period later. Only a decision the LLM brain took and that stood is remembered (the
 * brain remembers it; a replaced answer's outcome would belong to the optimizer's decision).
 *
 * @param <S> situation
 * @param <D> decision
 */
public final class Agent<S, D> {

    private final GuardedAgent<S, D> guarded;
    private final Supplier<Optional<String>> lastExperience;
    private final ExperienceMemory memory;
    private String pendingId;
    private String before;

    /**
     * @param lastExperience the id of the decision the brain remembered last (empty for an optimizer brain)
     */
    public Agent(GuardedAgent<S, D> guarded, Supplier<Optional<String>> lastExperience, ExperienceMemory memory) {
        this.guarded = Objects.requireNonNull(guarded, "guarded");
        this.lastExperience = Objects.requireNonNull(lastExperience, "lastExperience");
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /** An agent with no memory: the optimizer brain under the guard. */
    public static <S, D> Agent<S, D> of(GuardedAgent<S, D> guarded) {
        return new Agent<>(guarded, Optional::empty, ExperienceMemory.NONE);
    }

    public AgentOutcome<D> decide(S situation) {
        return guarded.decide(situation);
    }

    /**
     * What {@code outcome}'s decision was taken on; it closes the previous remembered decision's outcome.
     *
     * @param measureNow numbers only, e.g. {@code "mean latency 2.31 s, Jain 0.93, 41 prompts"}
     */
    public synchronized void measured(AgentOutcome<D> outcome, String measureNow) {
        if (pendingId != null) {
            memory.outcome(pendingId, "when decided: " + before + "; one period later: " + measureNow);
        }
        boolean stood = outcome.brain() == Brain.LLM && outcome.verdict() == AgentOutcome.Verdict.ACCEPTED;
        pendingId = stood ? lastExperience.get().orElse(null) : null;
        before = measureNow;
    }
}
