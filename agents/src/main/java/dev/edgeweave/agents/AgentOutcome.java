package dev.edgeweave.agents;

import java.util.List;

/**
 * What happened when an agent decided, as {@code agent-decisions} records it.
 *
 * @param decision       the decision that takes effect; {@code null} when the guard refused it and nothing
 *                       could replace it (the previous decision stays in force)
 * @param brain          the brain whose decision took effect (the first brain tried, when refused)
 * @param verdict        the guard's verdict
 * @param findings       what the guard found wrong with the first brain's answer
 * @param fallbackReason why the first brain's answer was replaced or refused; {@code null} when accepted
 * @param millis         wall milliseconds the whole decision took
 * @param <D>            the decision type
 */
public record AgentOutcome<D>(D decision, Brain brain, Verdict verdict, List<String> findings, String fallbackReason,
                              double millis) {

    /** The guard's verdict on a decision. */
    public enum Verdict { ACCEPTED, REPLACED, REJECTED }

    public AgentOutcome {
        findings = List.copyOf(findings);
    }
}
