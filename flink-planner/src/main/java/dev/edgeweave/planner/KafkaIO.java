package dev.edgeweave.planner;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job's Kafka source (every input topic, decoded to {@link CityEvent}s) and sink (every output record). */
public final class KafkaIO {

    private KafkaIO() {
    }

    /**
     * Reads {@code topics} from {@code start}, read_committed (the scheduler writes under exactly-once).
     *
     * @param properties further Kafka client properties (security), may be empty
     */
    public static KafkaSource<CityEvent> source(String bootstrap, String groupId, List<String> topics,
                                                OffsetsInitializer start, Properties properties) {
        return KafkaSource.<CityEvent>builder().setBootstrapServers(bootstrap).setGroupId(groupId).setTopics(topics)
                .setStartingOffsets(start).setDeserializer(new Decoder()).setProperties(properties)
                .setProperty("isolation.level", "read_committed").build();
    }

    /**
     * Writes every {@link Outbound} to its topic, at least once: a restart may repeat a record, and every
     * output is keyed so a repeat changes nothing (summaries by window and scope, policy and plan compacted
     * under {@code city}, commands by their idempotency key).
     */
    public static KafkaSink<Outbound> sink(String bootstrap, Properties properties) {
        return sink(bootstrap, properties, "");
    }

    /** {@link #sink(String, Properties)} onto topics named {@code topicPrefix} + the standard name. */
    public static KafkaSink<Outbound> sink(String bootstrap, Properties properties, String topicPrefix) {
        return KafkaSink.<Outbound>builder().setBootstrapServers(bootstrap).setKafkaProducerConfig(properties)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer((KafkaRecordSerializationSchema<Outbound>) (o, ctx, ts) ->
                        new ProducerRecord<>(topicPrefix + o.topic, null, o.timestamp, o.key.getBytes(StandardCharsets.UTF_8), o.value))
                .build();
    }

    /**
     * Decodes each record by its topic; a corrupt or invalid one is skipped, counted ({@code corruptRecords})
     * and logged with its topic, partition, offset and reason (never its content), so it cannot stop the job
     * or send it into a restart loop.
     */
    static final class Decoder implements KafkaRecordDeserializationSchema<CityEvent> {
        private static final Logger LOG = LoggerFactory.getLogger(Decoder.class);
        private transient CityEventDecoder decoder;
        private transient Counter corrupt;

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            decoder = new CityEventDecoder(ModelCatalog.standard());
            corrupt = context.getMetricGroup().counter("corruptRecords");
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CityEvent> out) {
            if (record.value() == null && record.topic().endsWith(Topics.NETWORK_TELEMETRY.name())) {
                return; // a link forgotten (a tombstone on the compacted topic): no event of the city
            }
            try {
                out.collect(decoder.decode(record.topic(), record.value(), record.timestamp()));
            } catch (InvalidRecordException | IllegalArgumentException e) {
                corrupt.inc();
                LOG.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }

        @Override
        public TypeInformation<CityEvent> getProducedType() {
            return TypeInformation.of(CityEvent.class);
        }
    }
}
