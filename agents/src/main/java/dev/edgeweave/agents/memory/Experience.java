package dev.edgeweave.agents.memory;

import java.util.Objects;

/**
 * One past decision of an agent: the situation it saw (the rendered table of numbers), what it decided, and the
 * outcome measured one period later (empty until measured). Never prompt content: situations are built from
 * telemetry and aggregates only.
 *
 * @param id        unique id (the decision's)
 * @param agent     which agent: {@code scheduling}, {@code planning} or {@code deployment}
 * @param at        city seconds of the decision
 * @param situation the situation as the brain saw it
 * @param decision  the decision taken, compact JSON
 * @param outcome   what was measured one period later (e.g. latency and fairness change), or empty
 */
public record Experience(String id, String agent, double at, String situation, String decision, String outcome) {
    public Experience {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(situation, "situation");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(outcome, "outcome");
    }

    public Experience withOutcome(String measured) {
        return new Experience(id, agent, at, situation, decision, measured);
    }
}
