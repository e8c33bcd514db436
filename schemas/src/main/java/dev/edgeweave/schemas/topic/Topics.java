package dev.edgeweave.schemas.topic;

import dev.edgeweave.schemas.avro.AvroSerde;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentPlan;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.RoutedPrompt;
import dev.edgeweave.v1.RoutingPolicy;
import dev.edgeweave.v1.WindowSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of edgeweave, defined once (DESIGN.md, "Topics"). Keys are strings: a prompt id, a node id,
 * {@code from/to} for a link, {@code city} for the city-wide control records, an agent kind for decisions.
 *
 * <p><b>Partitions.</b> {@link #PROMPTS} and {@link #NODE_RESULTS} both feed the scheduler's in-flight
 * ledger keyed by prompt id, so they must be co-partitioned: same key, same partition count. The terminal
 * topics share that count so a prompt's records stay in one partition end to end. The control topics carry
 * a few records a second and are compacted state read whole by every instance: one partition each.
 *
 * <p><b>Retention.</b> The event topics keep 24 hours by default, the duplicate-id retention of the
 * invariant; the dead letters keep 7 days, long enough for an operator to look.
 */
public final class Topics {

    /** Partitions of the prompt-keyed topics; co-partitioning needs one number for all of them. */
    public static final int PROMPT_PARTITIONS = 4;

    /** Key of the city-wide control records on {@link #ROUTING_POLICY} and {@link #DEPLOYMENT_PLANS}. */
    public static final String CITY_KEY = "city";

    /** The inline-content limit of prompts and outputs, in bytes (256 KiB). */
    public static final int INLINE_CONTENT_LIMIT = 256 * 1024;

    private static final String DAY_MS = Long.toString(24L * 60 * 60 * 1000);
    private static final String WEEK_MS = Long.toString(7L * 24 * 60 * 60 * 1000);

    private static final Map<String, String> EVENTS = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, DAY_MS);
    private static final Map<String, String> COMPACTED = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    private static final Serde<String> KEY = Serdes.String();

    public static final Topic<String, Prompt> PROMPTS =
            new Topic<>("prompts", KEY, AvroSerde.of(Prompt.class), PROMPT_PARTITIONS, EVENTS);
    public static final Topic<String, AttemptResult> NODE_RESULTS =
            new Topic<>("node-results", KEY, AvroSerde.of(AttemptResult.class), PROMPT_PARTITIONS, EVENTS);
    public static final Topic<String, PromptCompletion> PROMPT_COMPLETIONS =
            new Topic<>("prompt-completions", KEY, AvroSerde.of(PromptCompletion.class), PROMPT_PARTITIONS, EVENTS);
    public static final Topic<String, PromptRejection> PROMPT_REJECTIONS =
            new Topic<>("prompt-rejections", KEY, AvroSerde.of(PromptRejection.class), PROMPT_PARTITIONS, EVENTS);
    /** Inputs refused before acceptance: the raw key, the first 64 KiB of the raw value, and {@link DeadLetter} headers. */
    public static final Topic<byte[], byte[]> PROMPTS_DLQ = new Topic<>("prompts-dlq", Serdes.ByteArray(),
            Serdes.ByteArray(), 1, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, WEEK_MS));
    public static final Topic<String, NodeState> NODE_STATE =
            new Topic<>("node-state", KEY, AvroSerde.of(NodeState.class), 1, COMPACTED);
    /** Keyed {@code fromId/toId}: see {@link #linkKey}. */
    public static final Topic<String, LinkSample> NETWORK_TELEMETRY =
            new Topic<>("network-telemetry", KEY, AvroSerde.of(LinkSample.class), 1, COMPACTED);
    public static final Topic<String, WindowSummary> WINDOW_SUMMARIES =
            new Topic<>("window-summaries", KEY, AvroSerde.of(WindowSummary.class), 1, EVENTS);
    public static final Topic<String, RoutingPolicy> ROUTING_POLICY =
            new Topic<>("routing-policy", KEY, AvroSerde.of(RoutingPolicy.class), 1, COMPACTED);
    public static final Topic<String, DeploymentPlan> DEPLOYMENT_PLANS =
            new Topic<>("deployment-plans", KEY, AvroSerde.of(DeploymentPlan.class), 1, COMPACTED);
    public static final Topic<String, DeploymentCommand> DEPLOYMENT_COMMANDS =
            new Topic<>("deployment-commands", KEY, AvroSerde.of(DeploymentCommand.class), 1, EVENTS);
    public static final Topic<String, AgentDecision> AGENT_DECISIONS =
            new Topic<>("agent-decisions", KEY, AvroSerde.of(AgentDecision.class), 1, EVENTS);

    /** Every fixed topic (the per-server family is {@link #nodePrompts}). */
    public static final List<Topic<?, ?>> ALL = List.of(PROMPTS, NODE_RESULTS, PROMPT_COMPLETIONS,
            PROMPT_REJECTIONS, PROMPTS_DLQ, NODE_STATE, NETWORK_TELEMETRY, WINDOW_SUMMARIES, ROUTING_POLICY,
            DEPLOYMENT_PLANS, DEPLOYMENT_COMMANDS, AGENT_DECISIONS);

    static final String NODE_PREFIX = "node.";
    static final String NODE_SUFFIX = ".prompts";
    private static final Serde<RoutedPrompt> ROUTED = AvroSerde.of(RoutedPrompt.class);

    private Topics() {
    }

    /**
     * The topic of one server, {@code node.<nodeId>.prompts}: the scheduler writes a server's attempts
     * there and its connector creates it at start. One partition: a server consumes its own work in order.
     *
     * @throws IllegalArgumentException if {@code nodeId} cannot be part of a topic name
     */
    public static Topic<String, RoutedPrompt> nodePrompts(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.contains(".") || !TopicNames.isLegal(nodeId)) {
            throw new IllegalArgumentException("node id '" + nodeId
                    + "' cannot name a topic: use ASCII letters, digits, '_' and '-' (no '.')");
        }
        return new Topic<>(NODE_PREFIX + nodeId + NODE_SUFFIX, KEY, ROUTED, 1, EVENTS);
    }

    /** The node id of a {@code node.<nodeId>.prompts} topic name, or empty for any other name. */
    public static Optional<String> nodeIdOf(String topicName) {
        if (topicName == null || !topicName.startsWith(NODE_PREFIX) || !topicName.endsWith(NODE_SUFFIX)) {
            return Optional.empty();
        }
        String id = topicName.substring(NODE_PREFIX.length(), topicName.length() - NODE_SUFFIX.length());
        return id.isEmpty() || id.contains(".") ? Optional.empty() : Optional.of(id);
    }

    /** The key of a link on {@link #NETWORK_TELEMETRY}: {@code fromId/toId}. */
    public static String linkKey(String fromId, String toId) {
        return fromId + "/" + toId;
    }
}
