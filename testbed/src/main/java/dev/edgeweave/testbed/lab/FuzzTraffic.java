package dev.edgeweave.testbed.lab;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.topic.DeadLetter;
import dev.edgeweave.schemas.topic.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./edgeweave fuzz}'s side traffic: the {@link Fuzzer}'s bad inputs sent on {@code prompts} beside the
 * lab's replay, paced over its span (5 % to 95 % of its city seconds), each tagged with its fuzz id; after the
 * drain, each matched to its end ({@link FuzzTally}) from {@code prompts-dlq}, {@code prompt-rejections} and
 * {@code prompt-completions} read committed.
 */
public final class FuzzTraffic implements SideTraffic {

    /** The producer's own cap on a request ({@code max.request.size}, 1 MiB by default). */
    static final int PRODUCER_LIMIT = ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
            instanceof Integer i ? i : 1024 * 1024;

    private final int count;
    private final long seed;
    private final Duration matchTimeout;
    private final PrintStream log;
    private final Map<String, FuzzTally.Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, String> failed = new ConcurrentHashMap<>();
    private final AtomicReference<FuzzTally> tally = new AtomicReference<>();
    private final java.util.function.Consumer<String> beforeReplay;

    private String bootstrap;
    private String idPrefix;
    private String fuzzPrefix;
    private Clock clock;
    private Fuzzer fuzzer;
    private List<Fuzzer.Planned> plan;
    private int next;
    private int brokerLimit;

    /**
     * @param count        bad inputs to send
     * @param seed         their seed
     * @param matchTimeout how long to wait for an input's end after the last new record read
     * @param beforeReplay run with the broker's address before the replay starts (a check against the live broker)
     */
    public FuzzTraffic(int count, long seed, Duration matchTimeout, java.util.function.Consumer<String> beforeReplay,
                       PrintStream log) {
        this.beforeReplay = beforeReplay;
        this.count = count;
        this.seed = seed;
        this.matchTimeout = matchTimeout;
        this.log = log;
        Fuzzer.requireCount(count); // before anything starts
    }

    @Override
    public void start(String bootstrap, String idPrefix, double span, Clock clock) throws Exception {
        this.bootstrap = bootstrap;
        this.idPrefix = idPrefix;
        this.fuzzPrefix = idPrefix + "fuzz-";
        this.clock = clock;
        this.brokerLimit = Math.min(PRODUCER_LIMIT, brokerLimit(bootstrap));
        this.fuzzer = new Fuzzer(ModelCatalog.standard(), brokerLimit);
        this.plan = Fuzzer.plan(count, seed, 0.05 * span, 0.95 * span);
        beforeReplay.accept(bootstrap);
        say("%d bad inputs over city seconds %.0f to %.0f, records up to %d bytes (the broker's and producer's limit "
                + "%d)", count, 0.05 * span, 0.95 * span, brokerLimit - 4096, brokerLimit);
    }

    /** The largest record {@code prompts} takes: its {@code max.message.bytes}. */
    private static int brokerLimit(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROMPTS.name());
            var entry = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get("max.message.bytes");
            return entry == null ? PRODUCER_LIMIT : Integer.parseInt(entry.value());
        }
    }

    @Override
    public void send(KafkaProducer<byte[], byte[]> producer, double citySeconds, int produced) {
        while (next < plan.size() && plan.get(next).atSeconds() <= citySeconds) {
            Fuzzer.Planned p = plan.get(next);
            if (p.category() == Fuzzer.Category.DUPLICATE_ID && produced == 0) {
                return; // its original first
            }
            List<String> ids = new SentIds(idPrefix, produced);
            Fuzzer.Input in = fuzzer.record(p, idPrefix, clock.instant(), ids);
            producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), null, clock.millis(),
                    in.key().getBytes(StandardCharsets.UTF_8), in.value(), in.headers()), (meta, e) -> {
                        if (e != null) {
                            failed.put(p.fuzzId(), p.category() + ": " + e);
                        } else {
                            sent.put(p.fuzzId(), new FuzzTally.Sent(p.fuzzId(), p.category(), in.key(),
                                    meta.partition(), meta.offset()));
                        }
                    });
            next++;
        }
    }

    /** The replay's prompt ids sent so far, without building them all. */
    private static final class SentIds extends java.util.AbstractList<String> {
        private final String prefix;
        private final int size;

        SentIds(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        @Override
        public String get(int i) {
            return prefix + i;
        }

        @Override
        public int size() {
            return size;
        }
    }

    @Override
    public boolean owns(ConsumerRecord<String, byte[]> r) {
        return r.headers().lastHeader(Fuzzer.FUZZ_ID) != null || r.key() != null && r.key().startsWith(fuzzPrefix);
    }

    @Override
    public void finish() throws Exception {
        if (next < plan.size()) {
            throw new IllegalStateException("only " + next + " of " + plan.size() + " bad inputs were sent");
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " bad inputs were not accepted by the broker, e.g. "
                    + failed.entrySet().iterator().next());
        }
        List<FuzzTally.Sent> all = new ArrayList<>(sent.values());
        all.sort(java.util.Comparator.comparing(FuzzTally.Sent::fuzzId));
        tally.set(collect(all));
        FuzzTally t = tally.get();
        say("matched %d bad inputs: %d dead-lettered, %d rejected, %d completed, %d unaccounted, %d ended otherwise "
                + "than expected", t.sent(), t.deadLettered(), t.rejected(), t.completed(), t.unaccounted(),
                t.unexpected());
        t.byCategory().forEach((c, m) -> say("  %-20s %s", c, m));
        t.examples().forEach(e -> say("  %s", e));
    }

    /** The tally, once {@link #finish} has run. */
    public Optional<FuzzTally> tally() {
        return Optional.ofNullable(tally.get());
    }

    /**
     * Reads the three topics from their start, matching as it goes, until every input is matched or nothing new
     * has come for {@code matchTimeout}.
     */
    private FuzzTally collect(List<FuzzTally.Sent> all) {
        List<FuzzTally.DeadLetterSeen> letters = new ArrayList<>();
        List<FuzzTally.TerminalSeen> terminals = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fuzz-tally-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.PROMPTS_DLQ.name(), Topics.PROMPT_REJECTIONS.name(),
                    Topics.PROMPT_COMPLETIONS.name())) {
                for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            var rejections = dev.edgeweave.schemas.avro.AvroCodec.of(dev.edgeweave.v1.PromptRejection.class);
            long quietUntil = System.nanoTime() + matchTimeout.toNanos();
            FuzzTally t = null;
            while (true) {
                var records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.topic().equals(Topics.PROMPTS_DLQ.name())) {
                        try {
                            DeadLetter d = DeadLetter.read(null, null, r.headers());
                            Header id = r.headers().lastHeader(Fuzzer.FUZZ_ID);
                            letters.add(new FuzzTally.DeadLetterSeen(id == null ? null
                                    : new String(id.value(), StandardCharsets.UTF_8), d.sourceTopic(),
                                    d.sourcePartition(), d.sourceOffset(), d.reasonCode()));
                        } catch (IllegalArgumentException e) {
                            // not a dead letter of the scheduler's: nothing to match
                        }
                    } else if (r.key() != null && r.key().startsWith(idPrefix)) {
                        boolean completion = r.topic().equals(Topics.PROMPT_COMPLETIONS.name());
                        String reason = null;
                        if (!completion) {
                            try {
                                reason = rejections.decode(r.value()).getReason().name();
                            } catch (RuntimeException e) {
                                reason = "undecodable rejection"; // still an end, matched as no expected one
                            }
                        }
                        terminals.add(new FuzzTally.TerminalSeen(r.key(), completion, reason));
                    }
                }
                if (!records.isEmpty()) {
                    quietUntil = System.nanoTime() + matchTimeout.toNanos();
                }
                Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
                boolean caughtUp = partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
                if (caughtUp) {
                    t = FuzzTally.match(all, letters, terminals, Topics.PROMPTS.name());
                    if (t.unaccounted() == 0 || System.nanoTime() > quietUntil) {
                        return t;
                    }
                }
            }
        }
    }

    private void say(String format, Object... args) {
        log.println("fuzz: " + String.format(java.util.Locale.ROOT, format, args));
        log.flush();
    }
}
