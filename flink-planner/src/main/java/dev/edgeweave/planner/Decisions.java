package dev.edgeweave.planner;

import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AgentKind;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.GuardVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The planner's agents' {@code agent-decisions} records, keyed by agent, with a deterministic id per window. */
final class Decisions {

    private static final AvroCodec<AgentDecision> CODEC = AvroCodec.of(AgentDecision.class);

    private Decisions() {
    }

    /**
     * @param id        the decision's id: the agent and the window, so a restart repeating it repeats the id
     * @param situation the situation as the brain saw it (numbers only)
     * @param decision  what was decided, compact JSON
     */
    static Outbound record(String id, AgentKind agent, AgentOutcome<?> o, String situation, String decision,
                           String rationale, long at) {
        AgentDecision d = AgentDecision.newBuilder().setDecisionId(id).setAgent(agent).setScope("city")
                .setDecidedAt(Instant.ofEpochMilli(at)).setSituationDigest(sha256(situation)).setSituation(situation)
                .setDecision(decision).setRationale(rationale)
                .setBrain(o.brain() == Brain.LLM ? BrainKind.LLM : BrainKind.OPTIMIZER)
                .setFallbackReason(o.fallbackReason()).setDecisionMillis(o.millis())
                .setGuardVerdict(GuardVerdict.valueOf(o.verdict().name())).setGuardFindings(o.findings()).build();
        return new Outbound(Topics.AGENT_DECISIONS.name(), agent.name(), CODEC.encode(d), at);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
