package dev.edgeweave.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.SampleRecords;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import dev.edgeweave.v1.Prompt;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on a real broker: typed topics create as defined, and prompts survive produce → consume. */
@ExtendWith(KafkaBrokerExtension.class)
class PromptTopicIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void everyTopicDefinitionCreatesWithItsPartitionsAndConfig(KafkaBroker broker) throws Exception {
        String prefix = broker.uniqueName("contract") + "-";
        try (Admin admin = Admin.create(broker.adminProps())) {
            List<NewTopic> requests = Topics.ALL.stream().map(t -> {
                NewTopic nt = t.newTopic((short) 1);
                return new NewTopic(prefix + nt.name(), nt.numPartitions(), nt.replicationFactor())
                        .configs(nt.configs());
            }).toList();
            admin.createTopics(requests).all().get(30, TimeUnit.SECONDS);

            ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "node-state");
            Config config = admin.describeConfigs(List.of(state)).all().get(30, TimeUnit.SECONDS).get(state);
            assertEquals("compact", config.get("cleanup.policy").value());
            int promptPartitions = admin.describeTopics(List.of(prefix + "prompts")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(prefix + "prompts").partitions().size();
            assertEquals(Topics.PROMPT_PARTITIONS, promptPartitions);
        }
    }

    @Test
    void promptsRoundTripThroughTheBrokerWithTheSerde(KafkaBroker broker) {
        String topic = broker.createTopic(broker.uniqueName("prompts"), Topics.PROMPTS.partitions());
        int n = 300;
        Map<String, Prompt> sent = new HashMap<>();
        try (KafkaProducer<String, Prompt> producer = new KafkaProducer<>(broker.producerProps(),
                Topics.PROMPTS.keySerde().serializer(), Topics.PROMPTS.valueSerde().serializer())) {
            for (int i = 0; i < n; i++) {
                Prompt p = SampleRecords.prompt("p-" + i, i % 2 == 0 ? "llama-3.1-8b-instruct" : "kokoro-82m")
                        .setSizes(SampleRecords.textSizes(10 + i, 5 + i % 7))
                        .setCreatedAt(SampleRecords.T0.plusMillis(i)).build();
                sent.put(p.getPromptId(), p);
                producer.send(new ProducerRecord<>(topic, p.getPromptId(), p));
            }
            producer.flush();
        }

        Map<String, Prompt> received = new HashMap<>();
        try (KafkaConsumer<String, Prompt> consumer = new KafkaConsumer<>(
                broker.consumerProps(broker.uniqueName("group")),
                Topics.PROMPTS.keySerde().deserializer(), Topics.PROMPTS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(DEADLINE);
            while (received.size() < n && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, Prompt> r : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(r.key(), r.value().getPromptId());
                    received.put(r.key(), r.value());
                }
            }
        }
        assertEquals(sent, received);
    }

    @Test
    void undecodableBytesSurfaceAsTheTypedErrorWithTheirOffset(KafkaBroker broker) throws Exception {
        String topic = broker.createTopic(broker.uniqueName("prompts-bad"), 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k".getBytes(), "not avro".getBytes())).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, Prompt> consumer = new KafkaConsumer<>(
                broker.consumerProps(broker.uniqueName("group")),
                Topics.PROMPTS.keySerde().deserializer(), Topics.PROMPTS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(DEADLINE);
            RecordDeserializationException error = null;
            while (error == null && Instant.now().isBefore(deadline)) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    error = e;
                }
            }
            assertTrue(error != null, "the consumer should have met the undecodable record");
            assertEquals(0L, error.offset());
            InvalidRecordException cause = assertInstanceOf(InvalidRecordException.class, error.getCause());
            assertEquals(InvalidRecordException.Problem.UNDECODABLE, cause.problem());
        }
    }
}
