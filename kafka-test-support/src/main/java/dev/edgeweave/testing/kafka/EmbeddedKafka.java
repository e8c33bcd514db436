package dev.edgeweave.testing.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One real Kafka broker inside this JVM: a single combined KRaft node (broker + controller) from Kafka's own
 * test kit. {@link KafkaBrokerExtension} starts one per test JVM through this class; tools that need a broker
 * outside JUnit (the scheduler benchmark, {@code ./edgeweave bench scheduler}) start one with
 * {@link #start()} and close it when done.
 *
 * <p>The settings are {@link #BROKER_CONFIG}'s, made for one node. Its data lives under
 * {@code java.io.tmpdir} and is deleted on {@link #close()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * The broker settings. A single node cannot hold 3 replicas, so the internal topics' replication and min
     * ISR are 1; the rebalance delay is 0 so a first consumer joins at once. The offsets and transaction
     * topics get one partition instead of 50: they are created when the first consumer group or transaction
     * appears, inside a test's time, and more partitions buy nothing on one broker.
     */
    public static final Map<String, String> BROKER_CONFIG = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "true"));

    /** A hung start (port clash, disk full) must fail, not stall; a healthy start takes 2–3 s. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaClusterTestKit cluster;
    private final KafkaBroker broker;
    private final long startMillis;

    private EmbeddedKafka(KafkaClusterTestKit cluster, long startMillis) {
        this.cluster = cluster;
        this.broker = new KafkaBroker(cluster.bootstrapServers(), true);
        this.startMillis = startMillis;
    }

    /**
     * Formats and starts the broker and returns once it is ready (at most {@link #START_TIMEOUT}).
     *
     * @throws IllegalStateException when it cannot be configured, fails to start or is not ready in time
     *     (the half-started broker is closed)
     */
    public static EmbeddedKafka start() {
        return startQuietly(null);
    }

    /**
     * {@link #start()}, with what Kafka's test kit prints to standard output while it formats its storage sent to
     * {@code formatOutput} instead (a command whose standard output is its result, e.g. a JSON line).
     *
     * @param formatOutput where the format messages go; null leaves standard output as it is
     */
    public static synchronized EmbeddedKafka startQuietly(java.io.PrintStream formatOutput) {
        java.io.PrintStream stdout = System.out;
        if (formatOutput != null) {
            System.setOut(formatOutput);
        }
        try {
            return startBroker();
        } finally {
            System.setOut(stdout);
        }
    }

    private static EmbeddedKafka startBroker() {
        long t0 = System.nanoTime();
        KafkaClusterTestKit cluster;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // Without it the test kit formats with the newest, unreleased metadata version.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            BROKER_CONFIG.forEach(builder::setConfigProp);
            cluster = builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("Could not configure the in-JVM Kafka broker", e);
        }
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, EmbeddedKafka::startThread);
        try {
            ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw closeAfterFailure(cluster, new IllegalStateException("Interrupted while starting the in-JVM Kafka broker", e));
        } catch (TimeoutException e) {
            throw closeAfterFailure(cluster, new IllegalStateException(
                    "The in-JVM Kafka broker was not ready within " + START_TIMEOUT.toSeconds() + " s", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw closeAfterFailure(cluster, new IllegalStateException("The in-JVM Kafka broker failed to start", cause));
        }
        return new EmbeddedKafka(cluster, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** The handle on this broker: bootstrap address, topic creation, client settings. */
    public KafkaBroker broker() {
        return broker;
    }

    /** The {@code bootstrap.servers} value, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** How long {@link #start()} took, ms. */
    public long startMillis() {
        return startMillis;
    }

    /** The metadata version it was formatted with, for the start-up log line. */
    public static MetadataVersion metadataVersion() {
        return MetadataVersion.latestProduction();
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() throws Exception {
        broker.close();
        cluster.close();
    }

    // Its own daemon thread, not the common pool (one thread on two cores, maybe busy with other work);
    // daemon so a start that hangs past the timeout cannot keep the JVM alive.
    private static void startThread(Runnable start) {
        Thread thread = new Thread(start, "kafka-test-broker-start");
        thread.setDaemon(true);
        thread.start();
    }

    private static RuntimeException closeAfterFailure(KafkaClusterTestKit cluster, RuntimeException failure) {
        try {
            cluster.close();
        } catch (Exception closeFailure) {
            failure.addSuppressed(closeFailure);
        }
        return failure;
    }
}
