package dev.edgeweave.agents;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a brain under the guard: its answer stands if the guard finds nothing; if it fails the guard or
 * throws, the fallback brain's answer (the optimizer's) is checked and takes its place; if that fails too,
 * nothing changes. Every call returns an {@link AgentOutcome} saying which of these happened.
 *
 * @param <S> situation type
 * @param <D> decision type
 */
public final class GuardedAgent<S, D> {

    private final Function<S, D> primary;
    private final Brain primaryBrain;
    private final Function<S, D> fallback;
    private final BiFunction<S, D, List<String>> guard;

    /**
     * @param primary      the brain asked first
     * @param primaryBrain what kind of brain it is
     * @param fallback     the optimizer brain, asked when the primary's answer cannot stand; may be the same
     *                     function as {@code primary} when the optimizer is the primary (then a refused answer
     *                     is not asked again)
     * @param guard        the guard's check for this kind of decision
     */
    public GuardedAgent(Function<S, D> primary, Brain primaryBrain, Function<S, D> fallback,
                        BiFunction<S, D, List<String>> guard) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.primaryBrain = Objects.requireNonNull(primaryBrain, "primaryBrain");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    public AgentOutcome<D> decide(S situation) {
        long start = System.nanoTime();
        D answer;
        List<String> findings;
        String reason;
        try {
            answer = primary.apply(situation);
            findings = guard.apply(situation, answer);
            if (findings.isEmpty()) {
                return new AgentOutcome<>(answer, primaryBrain, AgentOutcome.Verdict.ACCEPTED, List.of(), null,
                        millisSince(start));
            }
            reason = "guard: " + String.join("; ", findings);
        } catch (RuntimeException e) {
            findings = List.of();
            reason = "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (primaryBrain != Brain.OPTIMIZER && fallback != primary) {
            try {
                D replacement = fallback.apply(situation);
                if (guard.apply(situation, replacement).isEmpty()) {
                    return new AgentOutcome<>(replacement, Brain.OPTIMIZER, AgentOutcome.Verdict.REPLACED, findings,
                            reason, millisSince(start));
                }
            } catch (RuntimeException e) {
                reason = reason + "; optimizer error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        return new AgentOutcome<>(null, primaryBrain, AgentOutcome.Verdict.REJECTED, findings, reason,
                millisSince(start));
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
