package dev.edgeweave.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgeweave.config.Settings;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.DeadLetter;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptLedgerEntry;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.PromptSizes;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invariant on a real broker (the in-JVM KRaft one): two scheduler instances of one application id share
 * the prompt partitions with exactly-once on; one is stopped mid-stream while prompts are in its ledger;
 * afterwards, read with {@code read_committed}, every accepted prompt id has exactly one terminal record, every
 * refused record exactly one dead letter carrying its partition and offset, and every attempt was routed once.
 *
 * <p>A {@link TestResponder} thread stands in for the node connectors (next issue): it consumes the two servers'
 * topics with read_committed, answers each {@code RoutedPrompt} with an {@code AttemptResult} — some FAILED (and
 * that failure sent twice), some HANDED_BACK, some COMPLETED twice, some failing every attempt — and publishes
 * both servers' {@code node-state} heartbeats every second.
 *
 * <p>Every topic, server id and the application id are fresh per run ({@code uniqueName}), and the instances
 * run on exactly the app's settings ({@link SchedulerApp#streamsProperties}) with a lower session timeout.
 * Waits poll a condition against a deadline; nothing sleeps hoping for the best.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SchedulerEndToEndIT {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEndToEndIT.class);

    static final int PROMPTS = 2_000;
    static final int HALF = PROMPTS / 2;
    static final String OTHER_MODEL = "llama-3.2-3b-instruct"; // nobody holds it, and no GPU has room to load it

    /** What happens to prompt {@code i}: decided by its index, so the expected terminal record is known. */
    enum Fate {
        COMPLETED_FIRST, FAILED_THEN_COMPLETED, HANDED_BACK_THEN_COMPLETED, COMPLETED_TWICE, ALWAYS_FAILS,
        LATE, NO_SERVER;

        static Fate of(int i) {
            if (i % 100 == 50) {
                return LATE;
            }
            if (i % 100 == 60) {
                return NO_SERVER;
            }
            if (i % 50 == 7) {
                return ALWAYS_FAILS;
            }
            return switch (i % 10) {
                case 1 -> FAILED_THEN_COMPLETED;
                case 2 -> HANDED_BACK_THEN_COMPLETED;
                case 3 -> COMPLETED_TWICE;
                default -> COMPLETED_FIRST;
            };
        }
    }

    /** The responder's script: the outcomes for one attempt of a prompt, by the prompt's fate. */
    static List<AttemptOutcome> answer(RoutedPrompt routed) {
        Fate fate = Fate.of(index(routed.getPrompt().getPromptId()));
        int attempt = routed.getAttempt();
        return switch (fate) {
            // The failure sent twice: the copy arrives when attempt 2 is current, and must be ignored.
            case FAILED_THEN_COMPLETED -> attempt == 1 ? List.of(AttemptOutcome.FAILED, AttemptOutcome.FAILED)
                    : List.of(AttemptOutcome.COMPLETED);
            case HANDED_BACK_THEN_COMPLETED -> attempt == 1 ? List.of(AttemptOutcome.HANDED_BACK)
                    : List.of(AttemptOutcome.COMPLETED);
            case COMPLETED_TWICE -> List.of(AttemptOutcome.COMPLETED, AttemptOutcome.COMPLETED);
            case ALWAYS_FAILS -> List.of(AttemptOutcome.FAILED);
            default -> List.of(AttemptOutcome.COMPLETED);
        };
    }

    static String id(int i) {
        return "p-" + i;
    }

    static int index(String promptId) {
        return Integer.parseInt(promptId.substring(2));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoInstancesOneStoppedMidStreamExactlyOneTerminalRecordPerAcceptedPrompt(KafkaBroker broker)
            throws Exception {
        long t0 = System.nanoTime();
        String run = broker.uniqueName("e2e");
        SchedulerTopology.Names names = new SchedulerTopology.Names(run + ".prompts", run + ".node-results",
                run + ".prompt-completions", run + ".prompt-rejections", run + ".prompts-dlq", run + ".node-state",
                run + ".network-telemetry", run + ".routing-policy");
        String nodeA = broker.uniqueName("edge-a");
        String nodeB = broker.uniqueName("edge-b");
        Settings settings = Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), Map.of(),
                SchedulerConfig.ENV_PREFIX).withOverrides(Map.of(
                SchedulerConfig.BOOTSTRAP, broker.bootstrapServers(),
                SchedulerConfig.APPLICATION_ID, run,
                SchedulerConfig.MAX_ATTEMPTS, "2",
                // Generous, so a slow CI machine never re-routes by heartbeat: the expected attempts stay exact.
                // Stale heartbeats are covered by SchedulerTopologyTest.
                SchedulerConfig.HEARTBEAT_TIMEOUT, "15s",
                SchedulerConfig.NODES, nodeA + "," + nodeB,
                // A stopped instance's partitions would otherwise wait out the 45 s default before moving;
                // 6 s is the broker's minimum. close() leaves the group anyway.
                "kafka.session.timeout.ms", "6000",
                "kafka.heartbeat.interval.ms", "500"));
        SchedulerConfig config = SchedulerConfig.from(settings);
        assertEquals("100", SchedulerApp.streamsProperties(settings).get("commit.interval.ms"));

        // The app's topics, as the app creates them, under this run's names; the servers' own topics as their
        // connectors would create them.
        List<String> created = SchedulerApp.ensureTopics(SchedulerApp.streamsProperties(settings), names, (short) 1);
        assertEquals(8, created.size(), created.toString());
        broker.createTopic(Topics.nodePrompts(nodeA).name(), 1);
        broker.createTopic(Topics.nodePrompts(nodeB).name(), 1);

        Clock clock = config.cityClock();
        LOG.info("topics created after {} ms", millisSince(t0));
        AtomicReference<Throwable> streamsFailure = new AtomicReference<>();
        try (TestResponder responder = new TestResponder(broker.bootstrapServers(), List.of(nodeA, nodeB),
                names.results(), names.nodeState(), clock, SchedulerEndToEndIT::answer).start();
             Instance a = new Instance("a", settings, config, names, clock, streamsFailure);
             Instance b = new Instance("b", settings, config, names, clock, streamsFailure);
             Terminals terminals = new Terminals(broker, names);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps())) {

            await("both instances running with tasks and both servers in view", Duration.ofSeconds(40), () -> {
                check(responder, streamsFailure);
                return a.ready(nodeA, nodeB) && b.ready(nodeA, nodeB);
            });
            LOG.info("two instances running after {} ms", millisSince(t0));

            // First half, with bad records and duplicates among it.
            Map<Long, ReasonCode> refused = new TreeMap<>();   // partition << 32 | offset -> reason
            List<PendingRefusal> pending = new ArrayList<>();
            Instant now = clock.instant();
            for (int i = 0; i < HALF; i++) {
                send(producer, names, prompt(i, now));
            }
            pending.addAll(badRecords(producer, names, "first", now));
            for (int i = 10; i < 15; i++) {   // resent at once: refused as duplicates on the same partition
                pending.add(new PendingRefusal(send(producer, names, prompt(i, now)), ReasonCode.DUPLICATE));
            }
            producer.flush();
            LOG.info("first half sent after {} ms", millisSince(t0));

            await("a first share of terminal records", Duration.ofSeconds(30), () -> {
                check(responder, streamsFailure);
                terminals.poll();
                return terminals.count() >= 200;
            });
            assertTrue(a.counters.routed() > 0 && b.counters.routed() > 0,
                    "both instances routed before the stop: a " + a.counters.routed() + ", b " + b.counters.routed());

            // Hold the answers back so prompts wait in both ledgers, send more, and stop b with prompts in flight.
            responder.pause();
            now = clock.instant();
            for (int i = HALF; i < HALF + 200; i++) {
                send(producer, names, prompt(i, now));
            }
            producer.flush();
            await("prompts in flight in both ledgers", Duration.ofSeconds(20), () -> {
                check(responder, streamsFailure);
                return a.ledgerSize() > 0 && b.ledgerSize() > 0;
            });
            long inFlightAtStop = b.ledgerSize();
            long routedByA = a.counters.routed();
            long stopStarted = System.nanoTime();
            assertTrue(b.streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)));
            LOG.info("stopped instance b with {} prompts in its ledger in {} ms (a had routed {}, b {})",
                    inFlightAtStop, millisSince(stopStarted), routedByA, b.counters.routed());
            responder.resume();

            // Second half while a takes over b's partitions: the rest of the prompts, bad records, and
            // duplicates of ids b accepted before it stopped (its accepted-ids store must have moved with it).
            now = clock.instant();
            for (int i = HALF + 200; i < PROMPTS; i++) {
                send(producer, names, prompt(i, now));
            }
            pending.addAll(badRecords(producer, names, "second", now));
            for (int i = 100; i < 120; i++) {
                pending.add(new PendingRefusal(send(producer, names, prompt(i, now)), ReasonCode.DUPLICATE));
            }
            producer.flush();
            for (PendingRefusal p : pending) {
                RecordMetadata m = p.sent().get(10, TimeUnit.SECONDS);
                refused.put(key(m.partition(), m.offset()), p.reason());
            }

            Set<String> accepted = new HashSet<>();
            for (int i = 0; i < PROMPTS; i++) {
                accepted.add(id(i));
            }
            await("a terminal record for every accepted prompt", Duration.ofSeconds(45), () -> {
                check(responder, streamsFailure);
                terminals.poll();
                return terminals.ids().containsAll(accepted);
            });
            assertTrue(a.counters.routed() > routedByA, "a took over after b stopped");
            assertEquals(0, a.ledgerSize(), "nothing left in flight");
            assertTrue(a.streams.close(CloseOptions.timeout(Duration.ofSeconds(30))));
            check(responder, streamsFailure);
            LOG.info("all {} prompts terminal, {} answers, {} heartbeat rounds, after {} ms", PROMPTS,
                    responder.answered(), responder.heartbeats(), millisSince(t0));

            // Everything the scheduler wrote, committed, read to the end now that no instance runs.
            List<ConsumerRecord<byte[], byte[]>> completions = readAll(broker, names.completions());
            List<ConsumerRecord<byte[], byte[]>> rejections = readAll(broker, names.rejections());
            List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(broker, names.deadLetters());
            List<ConsumerRecord<byte[], byte[]>> routed = new ArrayList<>(readAll(broker, Topics.nodePrompts(nodeA).name()));
            routed.addAll(readAll(broker, Topics.nodePrompts(nodeB).name()));

            assertExactlyOneTerminalRecordEach(accepted, completions, rejections);
            assertDeadLetters(refused, deadLetters, names.prompts());
            assertEachAttemptRoutedOnce(routed, completions);
            LOG.info("checked {} completions, {} rejections, {} dead letters, {} routed attempts in {} ms",
                    completions.size(), rejections.size(), deadLetters.size(), routed.size(), millisSince(t0));
        }
    }

    // ---- the assertions ----------------------------------------------------------------------------------

    private static void assertExactlyOneTerminalRecordEach(Set<String> accepted,
                                                           List<ConsumerRecord<byte[], byte[]>> completions,
                                                           List<ConsumerRecord<byte[], byte[]>> rejections) {
        Map<String, List<Object>> terminal = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : completions) {
            PromptCompletion c = AvroCodec.of(PromptCompletion.class).decode(r.value());
            assertEquals(c.getPromptId(), new String(r.key(), StandardCharsets.UTF_8), "keyed by prompt id");
            terminal.computeIfAbsent(c.getPromptId(), k -> new ArrayList<>()).add(c);
        }
        for (ConsumerRecord<byte[], byte[]> r : rejections) {
            PromptRejection j = AvroCodec.of(PromptRejection.class).decode(r.value());
            assertEquals(j.getPromptId(), new String(r.key(), StandardCharsets.UTF_8), "keyed by prompt id");
            terminal.computeIfAbsent(j.getPromptId(), k -> new ArrayList<>()).add(j);
        }
        assertEquals(accepted, terminal.keySet(), "terminal records exactly for the accepted ids");
        Map<Fate, Integer> seen = new TreeMap<>();
        for (Map.Entry<String, List<Object>> e : terminal.entrySet()) {
            assertEquals(1, e.getValue().size(), () -> e.getKey() + " has " + e.getValue().size() + " terminal records");
            Fate fate = Fate.of(index(e.getKey()));
            seen.merge(fate, 1, Integer::sum);
            Object record = e.getValue().get(0);
            switch (fate) {
                case COMPLETED_FIRST, COMPLETED_TWICE -> assertCompleted(record, 1, e.getKey());
                case FAILED_THEN_COMPLETED, HANDED_BACK_THEN_COMPLETED -> assertCompleted(record, 2, e.getKey());
                case ALWAYS_FAILS -> assertRejected(record, ReasonCode.RETRIES_EXHAUSTED, 2, e.getKey());
                case LATE -> assertRejected(record, ReasonCode.DEADLINE_EXCEEDED, 0, e.getKey());
                case NO_SERVER -> assertRejected(record, ReasonCode.NO_CAPACITY, 0, e.getKey());
            }
        }
        LOG.info("terminal records by fate: {}", seen);
    }

    private static void assertCompleted(Object record, int attempts, String id) {
        assertTrue(record instanceof PromptCompletion, () -> id + " should have completed, was " + record);
        assertEquals(attempts, ((PromptCompletion) record).getAttempts(), id + " attempts");
    }

    private static void assertRejected(Object record, ReasonCode reason, int attempts, String id) {
        assertTrue(record instanceof PromptRejection, () -> id + " should have been rejected, was " + record);
        PromptRejection r = (PromptRejection) record;
        assertEquals(reason, r.getReason(), id + " reason");
        assertEquals(attempts, r.getAttempts(), id + " attempts");
    }

    private static void assertDeadLetters(Map<Long, ReasonCode> refused, List<ConsumerRecord<byte[], byte[]>> letters,
                                          String promptsTopic) {
        Map<Long, ReasonCode> lettered = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            DeadLetter d = DeadLetter.read(r.key(), r.value(), r.headers());
            assertEquals(promptsTopic, d.sourceTopic());
            ReasonCode previous = lettered.put(key(d.sourcePartition(), d.sourceOffset()),
                    ReasonCode.valueOf(d.reasonCode()));
            assertNull(previous, () -> "two dead letters for " + d.sourcePartition() + "@" + d.sourceOffset());
        }
        assertEquals(refused, lettered, "one dead letter per refused record, with its partition, offset and reason");
    }

    private static void assertEachAttemptRoutedOnce(List<ConsumerRecord<byte[], byte[]>> routed,
                                                    List<ConsumerRecord<byte[], byte[]>> completions) {
        Map<String, String> firstNode = new HashMap<>();
        Set<String> attempts = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : routed) {
            RoutedPrompt p = AvroCodec.of(RoutedPrompt.class).decode(r.value());
            String attempt = p.getPrompt().getPromptId() + "#" + p.getAttempt();
            assertTrue(attempts.add(attempt), () -> attempt + " was routed twice");
            if (p.getAttempt() == 1) {
                firstNode.put(p.getPrompt().getPromptId(), p.getNodeId());
            }
        }
        for (ConsumerRecord<byte[], byte[]> r : completions) {
            PromptCompletion c = AvroCodec.of(PromptCompletion.class).decode(r.value());
            if (c.getAttempts() == 2) {
                assertNotEquals(firstNode.get(c.getPromptId()), c.getNodeId(),
                        c.getPromptId() + ": the second attempt excludes the server that failed the first");
            }
        }
    }

    // ---- input -------------------------------------------------------------------------------------------

    private static Prompt prompt(int i, Instant now) {
        Prompt.Builder p = SchedulerFixture.prompt(id(i)).setUserId("user-" + (i % 7)).setCreatedAt(now);
        return switch (Fate.of(i)) {
            case LATE -> p.setCreatedAt(now.minusSeconds(120)).setSloSeconds(5).build();
            case NO_SERVER -> p.setModelId(OTHER_MODEL).build();
            default -> p.build();
        };
    }

    private static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, SchedulerTopology.Names names,
                                               Prompt p) {
        return producer.send(new ProducerRecord<>(names.prompts(), p.getPromptId().getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(Prompt.class).encode(p)));
    }

    private static List<PendingRefusal> badRecords(KafkaProducer<byte[], byte[]> producer,
                                                   SchedulerTopology.Names names, String tag, Instant now) {
        List<PendingRefusal> sent = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            sent.add(raw(producer, names, "junk-" + tag + "-" + k, ("not a prompt " + k).getBytes(StandardCharsets.UTF_8)));
        }
        sent.add(raw(producer, names, "state-" + tag, AvroCodec.of(NodeState.class).encode(NodeState.newBuilder()
                .setNodeId("edge-x").setSiteId("s").setHeartbeatAt(now).setSequence(1).setStorageBytesPerSecond(1)
                .setGpus(List.of()).setDeployments(List.of()).build())));
        sent.add(raw(producer, names, "not-the-id-" + tag,
                AvroCodec.of(Prompt.class).encode(SchedulerFixture.prompt("wrong-key-" + tag).setCreatedAt(now).build())));
        sent.add(raw(producer, names, "negative-" + tag, AvroCodec.of(Prompt.class).encode(
                SchedulerFixture.prompt("negative-" + tag).setCreatedAt(now)
                        .setSizes(PromptSizes.newBuilder().setInputTokens(-4).setInputBytes(0).build()).build())));
        sent.add(raw(producer, names, "unknown-model-" + tag, AvroCodec.of(Prompt.class).encode(
                SchedulerFixture.prompt("unknown-model-" + tag).setCreatedAt(now).setModelId("gpt-9").build())));
        return sent;
    }

    private static PendingRefusal raw(KafkaProducer<byte[], byte[]> producer, SchedulerTopology.Names names, String key,
                                      byte[] value) {
        return new PendingRefusal(producer.send(new ProducerRecord<>(names.prompts(),
                key.getBytes(StandardCharsets.UTF_8), value)), ReasonCode.INVALID);
    }

    private record PendingRefusal(Future<RecordMetadata> sent, ReasonCode reason) {
    }

    private static long key(int partition, long offset) {
        return ((long) partition << 40) | offset;
    }

    // ---- the two instances -------------------------------------------------------------------------------

    /** One scheduler instance: the app's topology and settings, its own state directory, counters and city. */
    private static final class Instance implements AutoCloseable {
        final SchedulerCounters counters = new SchedulerCounters();
        final CityState city;
        final KafkaStreams streams;

        Instance(String name, Settings settings, SchedulerConfig config, SchedulerTopology.Names names, Clock clock,
                 AtomicReference<Throwable> failure) {
            Path stateDir = Path.of("target", "streams-state", config.applicationId() + "-" + name).toAbsolutePath();
            Properties props = SchedulerApp.streamsProperties(settings.withOverrides(
                    Map.of(SchedulerConfig.STATE_DIR, stateDir.toString())));
            props.put("client.id", config.applicationId() + "-" + name);
            city = new CityState(GpuCatalog.standard(), config.nodes());
            streams = new KafkaStreams(SchedulerTopology.build(names, ModelCatalog.standard(), city, Optional.empty(),
                    config.scheduler(), clock, counters), props);
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
        }

        boolean ready(String... nodes) {
            if (streams.state() != KafkaStreams.State.RUNNING || !city.nodeIds().containsAll(List.of(nodes))) {
                return false;
            }
            return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum() > 0;
        }

        /** The prompts in this instance's ledgers, counted exactly through interactive queries; -1 if unknown. */
        long ledgerSize() {
            try {
                ReadOnlyKeyValueStore<String, PromptLedgerEntry> ledger = streams.store(StoreQueryParameters
                        .fromNameAndType(SchedulerTopology.LEDGER_STORE, QueryableStoreTypes.keyValueStore()));
                long n = 0;
                try (KeyValueIterator<String, PromptLedgerEntry> it = ledger.all()) {
                    while (it.hasNext()) {
                        it.next();
                        n++;
                    }
                }
                return n;
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            streams.close(Duration.ofSeconds(30)); // a no-op for an instance stopped already
        }
    }

    // ---- reading the outputs -----------------------------------------------------------------------------

    /** Reads the terminal topics as they fill, read_committed, to wait for the last terminal record. */
    private static final class Terminals implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Set<String> ids = new HashSet<>();
        private long count;

        Terminals(KafkaBroker broker, SchedulerTopology.Names names) {
            consumer = committedReader(broker);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(names.completions(), names.rejections())) {
                for (int p = 0; p < Topics.PROMPT_PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                ids.add(new String(r.key(), StandardCharsets.UTF_8));
                count++;
            }
        }

        Set<String> ids() {
            return ids;
        }

        long count() {
            return count;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(KafkaBroker broker) {
        Properties props = broker.consumerProps(broker.uniqueName("e2e-reader"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every committed record of {@code topic}, from the beginning to its end as of now. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker broker, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(broker)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    fail("could not read " + topic + " to its end " + end + " within 20 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    // ---- waiting -----------------------------------------------------------------------------------------

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void check(TestResponder responder, AtomicReference<Throwable> streamsFailure) {
        if (responder.failure() != null) {
            throw new AssertionError("the test responder died", responder.failure());
        }
        if (streamsFailure.get() != null) {
            throw new AssertionError("a stream thread died", streamsFailure.get());
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
