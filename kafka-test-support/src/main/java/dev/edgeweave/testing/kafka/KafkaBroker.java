package dev.edgeweave.testing.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka broker a test talks to: its bootstrap address and the few helpers every test needs.
 *
 * <p>One instance per test JVM, handed out by {@link KafkaBrokerExtension}. It is shared by every test
 * class, so a test isolates itself by naming: a fresh topic and group id from {@link #uniqueName(String)}.
 *
 * <p>The {@code *Props()} methods return a new, mutable {@link Properties} each call: change serializers or
 * any other setting on the copy without affecting other tests.
 */
public final class KafkaBroker {

    /** How long {@link #createTopic} waits for the topic to be created and to have a leader per partition. */
    static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final boolean embedded;
    private final Object adminLock = new Object();
    private Admin admin;
    private boolean closed;

    KafkaBroker(String bootstrapServers, boolean embedded) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.embedded = embedded;
    }

    /** The {@code bootstrap.servers} value, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * True when the broker runs inside this JVM; false when {@code -Dkafka.bootstrap} named an external one.
     * An external broker may hold topics and groups from earlier runs, which {@link #uniqueName} avoids.
     */
    public boolean isEmbedded() {
        return embedded;
    }

    /**
     * A name no other test in this or an earlier run uses: {@code prefix-<12 random hex digits>}.
     * Use it for topics, consumer groups and transactional ids, because the broker is shared.
     *
     * @param prefix what the name is for, e.g. {@code "orders"}; keep to {@code [a-zA-Z0-9._-]} for topics
     */
    public String uniqueName(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Creates a topic with default configs; see {@link #createTopic(String, int, Map)}. */
    public String createTopic(String name, int partitions) {
        return createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic and returns once every partition has a leader, so a producer or consumer started
     * right after does not race the metadata propagation. The replication factor is the broker's default
     * (1 for the in-JVM broker).
     *
     * @return {@code name}, so a test can write {@code String topic = broker.createTopic(broker.uniqueName("x"), 3);}
     * @throws IllegalStateException when the topic exists already, or is not ready within 30 s
     */
    public String createTopic(String name, int partitions, Map<String, String> configs) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configs, "configs");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        try {
            admin().createTopics(List.of(topic)).all().get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(name, partitions, deadline);
            return name;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new IllegalStateException("Topic '" + name + "' exists already on " + bootstrapServers
                        + "; name test topics with uniqueName(prefix)", e.getCause());
            }
            throw new IllegalStateException("Creating topic '" + name + "' on " + bootstrapServers + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic '" + name + "' was not created within " + TOPIC_READY_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic '" + name + "'", e);
        }
    }

    /**
     * Producer settings: bootstrap servers, byte-array key and value serializers, {@code acks=all}, one request in
     * flight per connection.
     * {@code max.block.ms} is 15 s rather than 60 s so a send to a missing broker fails within a test's budget.
     */
    public Properties producerProps() {
        Properties props = baseProps();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        // One request in flight per connection: right after a topic is created the broker may answer a first
        // batch NOT_LEADER_OR_FOLLOWER yet take the next one, and the idempotent producer then retries the
        // first forever (OUT_OF_ORDER_SEQUENCE_NUMBER). Tests produce little; ordering their sends costs nothing.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return props;
    }

    /**
     * Consumer settings: bootstrap servers, {@code group.id}, byte-array deserializers and
     * {@code auto.offset.reset=earliest}. Earliest, because a test usually produces before its consumer
     * is assigned partitions; with Kafka's default {@code latest} it would miss those records.
     */
    public Properties consumerProps(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        Properties props = baseProps();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** Settings for {@code Admin.create(broker.adminProps())}; the caller closes that Admin. */
    public Properties adminProps() {
        return baseProps();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + (embedded ? ", in-JVM" : ", external") + "]";
    }

    /** Closes the Admin behind {@link #createTopic}; called when the JVM's test run ends. */
    void close() {
        synchronized (adminLock) {
            closed = true;
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }

    private Properties baseProps() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    // One Admin for all createTopic calls: Admin is thread-safe, and one per call would open and tear down
    // a connection each time.
    private Admin admin() {
        synchronized (adminLock) {
            if (closed) {
                throw new IllegalStateException("The Kafka broker of this test run is closed already");
            }
            if (admin == null) {
                admin = Admin.create(adminProps());
            }
            return admin;
        }
    }

    private void awaitLeaders(String name, int partitions, long deadlineNanos)
            throws InterruptedException, TimeoutException {
        while (true) {
            try {
                TopicDescription description = admin().describeTopics(List.of(name)).allTopicNames()
                        .get(remainingMillis(deadlineNanos, name), TimeUnit.MILLISECONDS).get(name);
                List<TopicPartitionInfo> infos = description.partitions();
                if (infos.size() == partitions && infos.stream().allMatch(p -> p.leader() != null)) {
                    return;
                }
            } catch (ExecutionException e) {
                // The broker's metadata cache can lag the controller for a moment right after creation.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Describing topic '" + name + "' failed", e.getCause());
                }
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new TimeoutException("Topic '" + name + "' has no leader for every partition after "
                        + TOPIC_READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private static long remainingMillis(long deadlineNanos, String name) throws TimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remaining <= 0) {
            throw new TimeoutException("Topic '" + name + "' was not ready within " + TOPIC_READY_TIMEOUT.toSeconds() + " s");
        }
        return remaining;
    }
}
