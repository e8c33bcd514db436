package dev.edgeweave.testing.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension against a real broker: one broker for all tests, raw bytes round trip, topic creation. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static KafkaBroker classBroker;

    @BeforeAll
    static void rememberTheBroker(KafkaBroker broker) {
        classBroker = broker;
    }

    @Test
    void everyTestGetsTheOneBrokerStartedOnce(KafkaBroker broker) {
        assertSharedBroker(broker);
    }

    @Test
    void rawBytesMakeTheRoundTripThroughAFreshTopic(KafkaBroker broker) throws Exception {
        assertSharedBroker(broker);
        String topic = broker.createTopic(broker.uniqueName("round-trip"), 1);
        byte[] key = "key-1".getBytes(UTF_8);
        // Not valid UTF-8: proves the bytes pass through untouched.
        byte[] value = {0, 1, 2, (byte) 0xC3, (byte) 0x28, (byte) 0xFF};

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, key, value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(0, sent.offset());
        }

        List<ConsumerRecord<byte[], byte[]>> received;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(broker.consumerProps(broker.uniqueName("round-trip-group")))) {
            consumer.subscribe(List.of(topic));
            received = pollUntil(consumer, 1);
        }
        assertEquals(1, received.size());
        assertArrayEquals(key, received.get(0).key());
        assertArrayEquals(value, received.get(0).value());
    }

    @Test
    void createdTopicShowsItsPartitionsAndConfigsInAdmin(KafkaBroker broker) throws Exception {
        assertSharedBroker(broker);
        String topic = broker.createTopic(broker.uniqueName("created"), 3, Map.of("cleanup.policy", "compact"));

        try (Admin admin = Admin.create(broker.adminProps())) {
            assertTrue(admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic));
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            assertEquals(3, description.partitions().size());
            assertTrue(description.partitions().stream().allMatch(p -> p.leader() != null));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    void creatingAnExistingTopicSaysSoAndPointsAtUniqueName(KafkaBroker broker) {
        String topic = broker.createTopic(broker.uniqueName("twice"), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broker.createTopic(topic, 1));
        assertTrue(e.getMessage().contains("exists already") && e.getMessage().contains("uniqueName"), e.getMessage());
    }

    private static void assertSharedBroker(KafkaBroker broker) {
        assertSame(classBroker, broker, "one broker handle for the whole test JVM");
        assertEquals(classBroker.bootstrapServers(), broker.bootstrapServers());
        assertEquals(broker.isEmbedded() ? 1 : 0, KafkaBrokerExtension.embeddedStarts(),
                "in-JVM broker starts in this JVM");
    }

    private static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int count) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (records.size() < count) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Received " + records.size() + " of " + count + " records within " + TIMEOUT);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
