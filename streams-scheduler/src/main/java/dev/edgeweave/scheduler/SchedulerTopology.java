package dev.edgeweave.scheduler;

import dev.edgeweave.core.city.City;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.avro.AvroSerde;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptLedgerEntry;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.RoutedPrompt;
import dev.edgeweave.v1.RoutingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The scheduler's topology, a pure builder (CONVENTIONS.md 1): {@code main} only loads configuration and
 * starts {@code KafkaStreams}; tests drive it with {@code TopologyTestDriver}.
 *
 * <pre>
 *   prompts ──────┐                                 ┌─▶ node.&lt;id&gt;.prompts   (RoutedPrompt)
 *                 ├─▶ route ─[inflight-ledger]──────┼─▶ prompt-completions   (PromptCompletion)
 *   node-results ─┘         [accepted-prompt-ids]   ├─▶ prompt-rejections    (PromptRejection)
 *                                                   └─▶ prompts-dlq          (raw bytes + headers)
 *   node-state, network-telemetry, routing-policy ─▶ global stores ─▶ CityState (every instance sees all)
 * </pre>
 *
 * Every processor, source, sink and store has a stable name; a test pins {@code describe()}.
 */
public final class SchedulerTopology {

    static final String PROMPTS_SOURCE = "prompts-source";
    static final String RESULTS_SOURCE = "node-results-source";
    static final String ROUTE = "route";
    static final String NODE_SINK = "node-prompts-sink";
    static final String COMPLETIONS_SINK = "prompt-completions-sink";
    static final String REJECTIONS_SINK = "prompt-rejections-sink";
    static final String DLQ_SINK = "prompts-dlq-sink";
    static final String LEDGER_STORE = "inflight-ledger";
    static final String ACCEPTED_STORE = "accepted-prompt-ids";

    /** The topics the topology reads and writes. */
    public record Names(String prompts, String results, String completions, String rejections, String deadLetters,
                        String nodeState, String telemetry, String policy) {

        /** The topic names of {@link Topics}. */
        public static Names standard() {
            return new Names(Topics.PROMPTS.name(), Topics.NODE_RESULTS.name(), Topics.PROMPT_COMPLETIONS.name(),
                    Topics.PROMPT_REJECTIONS.name(), Topics.PROMPTS_DLQ.name(), Topics.NODE_STATE.name(),
                    Topics.NETWORK_TELEMETRY.name(), Topics.ROUTING_POLICY.name());
        }
    }

    private SchedulerTopology() {
    }

    /**
     * Builds the topology.
     *
     * @param names    topic names
     * @param catalog  the models prompts may name
     * @param city     where the global-store processors put the city's state (one per KafkaStreams instance)
     * @param map      the city's map, for the distance-based default path of a link not measured yet
     * @param settings attempts, timeouts, retention
     * @param clock    the city clock
     * @param counters what the topology counts
     */
    public static Topology build(Names names, ModelCatalog catalog, CityState city, Optional<City> map,
                                 SchedulerSettings settings, Clock clock, SchedulerCounters counters) {
        Objects.requireNonNull(names, "names");
        Topology t = new Topology();

        addGlobal(t, names.nodeState(), "node-state", NodeState.class, city::update, counters);
        addGlobal(t, names.telemetry(), "network-telemetry", LinkSample.class, city::update, counters);
        addGlobal(t, names.policy(), "routing-policy", RoutingPolicy.class, (k, v) -> city.update(v), counters);

        t.addSource(PROMPTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), names.prompts());
        t.addSource(RESULTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), names.results());
        t.addProcessor(ROUTE, () -> new RouteProcessor(names, catalog, settings, city, map, clock, counters),
                PROMPTS_SOURCE, RESULTS_SOURCE);

        StoreBuilder<KeyValueStore<String, PromptLedgerEntry>> ledger = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LEDGER_STORE), Serdes.String(), AvroSerde.of(PromptLedgerEntry.class));
        // Ids are remembered for the duplicate retention: a window store of that retention forgets them by itself.
        StoreBuilder<WindowStore<String, Long>> acceptedIds = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(ACCEPTED_STORE, settings.duplicateRetention().plus(Duration.ofMinutes(1)),
                        Duration.ofMillis(1), false), Serdes.String(), Serdes.Long());
        t.addStateStore(ledger, ROUTE);
        t.addStateStore(acceptedIds, ROUTE);

        t.addSink(NODE_SINK, new NodeTopic(), new StringSerializer(), AvroSerde.of(RoutedPrompt.class), ROUTE);
        t.addSink(COMPLETIONS_SINK, names.completions(), new StringSerializer(),
                AvroSerde.of(PromptCompletion.class), ROUTE);
        t.addSink(REJECTIONS_SINK, names.rejections(), new StringSerializer(), AvroSerde.of(PromptRejection.class),
                ROUTE);
        t.addSink(DLQ_SINK, names.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(), ROUTE);
        return t;
    }

    /** Sends each attempt to its server's topic, {@code node.<nodeId>.prompts}. */
    static final class NodeTopic implements TopicNameExtractor<String, RoutedPrompt> {
        // Names by node id, checked and built once rather than per record; shared by the stream threads.
        private final Map<String, String> names = new ConcurrentHashMap<>();

        @Override
        public String extract(String key, RoutedPrompt value, org.apache.kafka.streams.processor.RecordContext ctx) {
            return names.computeIfAbsent(value.getNodeId(), id -> Topics.nodePrompts(id).name());
        }

        @Override
        public String toString() {
            return "node.<nodeId>.prompts";
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void addGlobal(
            Topology t, String topic, String name, Class<T> type, java.util.function.BiConsumer<String, T> apply,
            SchedulerCounters counters) {
        String store = name + "-store";
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(), name + "-source", new StringDeserializer(),
                new ByteArrayDeserializer(), topic, name + "-updater",
                () -> new TelemetryUpdater<>(store, type, apply, counters));
    }
}
