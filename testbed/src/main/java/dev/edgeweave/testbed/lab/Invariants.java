package dev.edgeweave.testbed.lab;

import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.schemas.topic.DeadLetter;
import dev.edgeweave.schemas.topic.KafkaAccess;
import dev.edgeweave.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The pipeline's invariant (DESIGN.md), checked from the topics by prompt id after a run: every record of
 * {@code prompts} is either dead-lettered (matched by its partition and offset) or accepted; every accepted id
 * has exactly one terminal record; no terminal record without an accepted prompt; and every deployment command
 * applied at most once per idempotency key by each connector. Reads every topic up to its last committed record.
 *
 * @param prompts                records on {@code prompts} of the run
 * @param accepted               distinct ids accepted (not dead-lettered)
 * @param deadLettered           records dead-lettered, matched by partition and offset
 * @param withoutTerminal        accepted ids with no terminal record
 * @param withSeveralTerminals   accepted ids with more than one terminal record
 * @param terminalsWithoutPrompt terminal records whose id no accepted prompt has
 * @param acceptedTwice          records neither dead-lettered nor the first of their id (a duplicate let through)
 * @param commandsAppliedTwice   command ids some connector applied more than once
 * @param examples               a few offending ids, for the report
 */
public record Invariants(long prompts, long accepted, long deadLettered, long withoutTerminal,
                         long withSeveralTerminals, long terminalsWithoutPrompt, long acceptedTwice,
                         long commandsAppliedTwice, List<String> examples) {

    private static final int EXAMPLES = 5;

    public Invariants {
        examples = List.copyOf(examples);
    }

    /** Whether every part holds. */
    public boolean holds() {
        return withoutTerminal == 0 && withSeveralTerminals == 0 && terminalsWithoutPrompt == 0 && acceptedTwice == 0
                && commandsAppliedTwice == 0;
    }

    /**
     * Checks the topics of the broker at {@code bootstrap}.
     *
     * @param client              the Kafka client properties of the run (security)
     * @param ours                which prompt ids (record keys) belong to the run checked
     * @param commandApplications how many times each command id was applied, per connector instance
     */
    public static Invariants check(String bootstrap, KafkaClientSettings client, Predicate<String> ours,
                                   List<Map<String, Integer>> commandApplications) {
        List<String> examples = new ArrayList<>();
        Set<Long> deadLetteredAt = new HashSet<>();
        Map<String, Integer> terminals = new HashMap<>();
        Set<String> accepted = new HashSet<>();
        long prompts = 0;
        long deadLettered = 0;
        long acceptedTwice = 0;
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, client)) {
            for (ConsumerRecord<byte[], byte[]> r : readAll(c, Topics.PROMPTS_DLQ.name())) {
                try {
                    DeadLetter d = DeadLetter.read(r.key(), r.value(), r.headers());
                    if (d.sourceTopic().equals(Topics.PROMPTS.name())) {
                        deadLetteredAt.add(position(d.sourcePartition(), d.sourceOffset()));
                    }
                } catch (IllegalArgumentException e) {
                    // not a dead letter of the scheduler's: nothing to match
                }
            }
            for (String topic : List.of(Topics.PROMPT_COMPLETIONS.name(), Topics.PROMPT_REJECTIONS.name())) {
                for (ConsumerRecord<byte[], byte[]> r : readAll(c, topic)) {
                    String id = key(r);
                    if (id != null && ours.test(id)) {
                        terminals.merge(id, 1, Integer::sum);
                    }
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : readAll(c, Topics.PROMPTS.name())) {
                String id = key(r);
                if (id == null || !ours.test(id)) {
                    continue;
                }
                prompts++;
                if (deadLetteredAt.contains(position(r.partition(), r.offset()))) {
                    deadLettered++;
                } else if (!accepted.add(id)) {
                    acceptedTwice++;
                    example(examples, "accepted twice: " + id);
                }
            }
        }
        long without = 0;
        long several = 0;
        for (String id : accepted) {
            int n = terminals.getOrDefault(id, 0);
            if (n == 0) {
                without++;
                example(examples, "no terminal record: " + id);
            } else if (n > 1) {
                several++;
                example(examples, n + " terminal records: " + id);
            }
        }
        long orphans = 0;
        for (String id : terminals.keySet()) {
            if (!accepted.contains(id)) {
                orphans++;
                example(examples, "terminal record without an accepted prompt: " + id);
            }
        }
        long twice = 0;
        for (Map<String, Integer> applications : commandApplications) {
            for (Map.Entry<String, Integer> e : applications.entrySet()) {
                if (e.getValue() > 1) {
                    twice++;
                    example(examples, "command applied " + e.getValue() + " times: " + e.getKey());
                }
            }
        }
        return new Invariants(prompts, accepted.size(), deadLettered, without, several, orphans, acceptedTwice, twice,
                examples);
    }

    private static void example(List<String> examples, String what) {
        if (examples.size() < EXAMPLES) {
            examples.add(what);
        }
    }

    private static long position(int partition, long offset) {
        return ((long) partition << 48) ^ offset;
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Every committed record of {@code topic}, from its start to its last stable offset now. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + topic + " to its end took over 60 s");
            }
            c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, KafkaClientSettings client) {
        java.util.Properties props = KafkaAccess.properties(bootstrap, client);
        props.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "lab-invariants-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        return new KafkaConsumer<>(props);
    }
}
