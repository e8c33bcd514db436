package dev.edgeweave.connector;

import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.DeploymentDecision;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AgentKind;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.GuardVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The on-node deployment agent's {@code agent-decisions} records: what it saw (numbers only: GPUs, what the
 * server holds with its queues, the target), what it decided, why, which brain, how long, the guard's verdict;
 * and the state changes that follow (a deployment ready, unloaded, failed), so the record of a server's
 * deployments is complete.
 */
final class DecisionRecords {

    private final String nodeId;

    DecisionRecords(String nodeId) {
        this.nodeId = nodeId;
    }

    /** A plan of the agent. */
    AgentDecision planned(AgentOutcome<DeploymentDecision> o, DeploymentSituation s, String trigger, Instant at) {
        String situation = situation(s);
        String decision = o.decision() == null ? "{\"actions\":[]}" : plan(o.decision().plan());
        String rationale = trigger + ": " + (o.decision() == null ? "no plan could stand" : o.decision().rationale());
        return AgentDecision.newBuilder().setDecisionId(UUID.randomUUID().toString())
                .setAgent(AgentKind.ON_NODE_DEPLOYMENT).setScope(nodeId).setDecidedAt(at)
                .setSituationDigest(sha256(situation)).setSituation(situation).setDecision(decision)
                .setRationale(rationale).setBrain(o.brain() == Brain.LLM ? BrainKind.LLM : BrainKind.OPTIMIZER)
                .setFallbackReason(o.fallbackReason()).setDecisionMillis(o.millis())
                .setGuardVerdict(GuardVerdict.valueOf(o.verdict().name())).setGuardFindings(o.findings()).build();
    }

    /**
     * A deployment's state change, or a command refused.
     *
     * @param event READY, UNLOADED, FAILED or REFUSED
     */
    AgentDecision event(String modelId, String event, String why, Instant at) {
        String decision = String.format(Locale.ROOT, "{\"event\":\"%s\",\"model\":\"%s\"}", event, json(modelId));
        String situation = "server=" + nodeId + " model=" + modelId;
        return AgentDecision.newBuilder().setDecisionId(UUID.randomUUID().toString())
                .setAgent(AgentKind.ON_NODE_DEPLOYMENT).setScope(nodeId).setDecidedAt(at)
                .setSituationDigest(sha256(situation)).setSituation(situation).setDecision(decision).setRationale(why)
                .setBrain(BrainKind.OPTIMIZER).setFallbackReason(null).setDecisionMillis(0)
                .setGuardVerdict(event.equals("REFUSED") ? GuardVerdict.REJECTED : GuardVerdict.ACCEPTED)
                .setGuardFindings(event.equals("REFUSED") ? List.of(why) : List.of()).build();
    }

    /** The situation as a compact table: one line for the server, one per deployment held, one per target. */
    static String situation(DeploymentSituation s) {
        StringBuilder b = new StringBuilder();
        b.append("server ").append(s.server().id()).append(" gpus ")
                .append(s.server().gpus().stream().map(g -> g.id()).collect(Collectors.joining(","))).append('\n');
        for (OnNodePacker.Current c : s.current()) {
            b.append(String.format(Locale.ROOT, "holds %s gpu=%d slots=%d weight=%.2f inflight=%d%s%n", c.modelId(),
                    c.gpuIndex(), c.concurrency(), c.shareWeight(), c.inFlight(), c.draining() ? " draining" : ""));
        }
        for (Deployment d : s.target()) {
            b.append(String.format(Locale.ROOT, "wants %s gpu=%d slots=%d weight=%.2f%n", d.modelId(), d.gpuIndex(),
                    d.concurrency(), d.shareWeight()));
        }
        return b.toString();
    }

    private static String plan(OnNodePacker.Plan p) {
        String actions = p.actions().stream().map(a -> String.format(Locale.ROOT,
                "{\"kind\":\"%s\",\"model\":\"%s\",\"gpu\":%d,\"slots\":%d,\"weight\":%.3f}", a.kind(), json(a.modelId()),
                a.gpuIndex(), a.concurrency(), a.shareWeight())).collect(Collectors.joining(","));
        String deferred = p.deferred().stream().map(d -> "\"" + json(d.modelId()) + "\"")
                .collect(Collectors.joining(","));
        return "{\"actions\":[" + actions + "],\"deferred\":[" + deferred + "]}";
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
