package dev.edgeweave.testbed.cli;

import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.topic.DeadLetter;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading edgeweave's topics for the {@code tail} and {@code trace} commands: any topic, decoded by its schema. */
final class Records {

    /** One record, decoded, with where it came from. */
    record Line(String topic, int partition, long offset, Instant timestamp, String key, String value) {
        @Override
        public String toString() {
            return timestamp + " " + topic + "-" + partition + "@" + offset + " " + key + " " + value;
        }
    }

    private Records() {
    }

    /** The topic definition of {@code name}: a fixed topic, or a server's {@code node.<id>.prompts}. */
    static Optional<Topic<?, ?>> topic(String name) {
        for (Topic<?, ?> t : Topics.ALL) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Topics.nodeIdOf(name).map(Topics::nodePrompts);
    }

    /** {@code value} decoded as {@code topic}'s record, as Avro's JSON-like text; a reason if it does not decode. */
    static String decode(Topic<?, ?> topic, String name, byte[] key, byte[] value, org.apache.kafka.common.header.Headers h) {
        if (value == null) {
            return "(tombstone)";
        }
        if (topic.name().equals(Topics.PROMPTS_DLQ.name())) {
            DeadLetter d = DeadLetter.read(key, value, h);
            return "{\"reason\": \"" + d.reasonCode() + "\", \"why\": \"" + d.reason() + "\", \"source\": \""
                    + d.sourceTopic() + "-" + d.sourcePartition() + "@" + d.sourceOffset() + "\"}";
        }
        try {
            return String.valueOf(topic.valueSerde().deserializer().deserialize(name, value));
        } catch (InvalidRecordException | org.apache.kafka.common.errors.SerializationException e) {
            return "(undecodable: " + e.getMessage() + ")";
        }
    }

    /**
     * Every record of {@code topics} from their start up to their end now, that {@code keep} accepts.
     *
     * @param max most records to return per topic (the last ones), 0 for all
     */
    static List<Line> read(KafkaClient kafka, List<String> topics, Predicate<String> keep, int max) {
        List<Line> out = new ArrayList<>();
        java.util.Properties props = kafka.properties();
        props.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "edgeweave-cli-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            for (String name : topics) {
                Topic<?, ?> t = topic(name).orElseThrow(() -> new IllegalArgumentException("unknown topic " + name
                        + ": one of " + Topics.ALL.stream().map(Topic::name).toList() + " or node.<id>.prompts"));
                List<PartitionInfo> parts = c.partitionsFor(name, Duration.ofSeconds(15));
                if (parts == null || parts.isEmpty()) {
                    continue;
                }
                List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(name, p.partition())).toList();
                c.assign(tps);
                Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
                Map<TopicPartition, Long> end = c.endOffsets(tps);
                for (TopicPartition tp : tps) {
                    long from = max > 0 ? Math.max(begin.get(tp), end.get(tp) - max) : begin.get(tp);
                    c.seek(tp, from);
                }
                List<Line> mine = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                        if (keep.test(key)) {
                            mine.add(new Line(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                                    key, decode(t, name, r.key(), r.value(), r.headers())));
                        }
                    }
                }
                out.addAll(mine);
            }
        }
        return out;
    }
}
