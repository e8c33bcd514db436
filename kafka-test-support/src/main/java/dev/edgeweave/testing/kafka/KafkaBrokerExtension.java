package dev.edgeweave.testing.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one real Kafka broker per test JVM and resolves {@link KafkaBroker} parameters to it.
 *
 * <p>The broker is a single combined KRaft node (broker + controller) from Kafka's own test kit, started on
 * first use and kept in the root {@link ExtensionContext.Store}: every test class of the run shares it, and
 * JUnit closes it when the whole run ends. One start costs 2–3 s, so one per test (or per class) would
 * dominate the build.
 *
 * <p>With {@code -Dkafka.bootstrap=host:port} no broker is started; the handle points at that broker instead
 * (PLAINTEXT only). Use it to run the same tests against the broker of {@code infra/broker.sh}.
 *
 * <p>Topic auto-creation stays on (Kafka's default), so a producer writing to a topic a test forgot to
 * create gets a one-partition topic instead of blocking for {@code max.block.ms}. Tests should still create
 * their topics with {@link KafkaBroker#createTopic}, which is the only way to get the partition count
 * they assert on.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    /** System property naming an external broker ({@code host:port[,host:port]}) to use instead of starting one. */
    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    // A hung start (port clash, disk full) must fail the build, not stall it; a healthy start takes ~3 s.
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXTERNAL_PROBE_TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger EMBEDDED_STARTS = new AtomicInteger();

    /**
     * The broker settings of the in-JVM broker. A single node cannot hold 3 replicas, so the internal topics'
     * replication and min ISR are 1; the rebalance delay is 0 so a test's first consumer joins at once.
     * The offsets and transaction topics get one partition instead of 50: they are created when a test's
     * first consumer group or transaction appears, inside that test's time, and more partitions buy nothing
     * on one broker.
     */
    static final Map<String, String> BROKER_CONFIG = Map.ofEntries(
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

    @Override
    public void beforeAll(ExtensionContext context) {
        // Start before the first test, so a broker that cannot start fails the class once, with the cause,
        // instead of failing each test's parameter resolution.
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return broker(extensionContext);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("No Kafka broker for " + parameterContext.getParameter(), e);
        }
    }

    /** How many in-JVM brokers this JVM started; the self-test asserts it is at most one. */
    static int embeddedStarts() {
        return EMBEDDED_STARTS.get();
    }

    // Its own daemon thread, not the common pool (one thread on two cores, maybe busy with a test's work);
    // daemon so a start that hangs past the timeout cannot keep the JVM alive.
    private static void startThread(Runnable start) {
        Thread thread = new Thread(start, "kafka-test-broker-start");
        thread.setDaemon(true);
        thread.start();
    }

    private static KafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Startup.class, key -> Startup.attempt(), Startup.class)
                .broker();
    }

    /**
     * The outcome of the one start attempt of this JVM, failure included: JUnit does not keep a value whose
     * computation threw, and every later test class would wait out the start timeout again.
     */
    private static final class Startup implements AutoCloseable {
        private final BrokerResource resource;
        private final RuntimeException failure;

        private Startup(BrokerResource resource, RuntimeException failure) {
            this.resource = resource;
            this.failure = failure;
        }

        static Startup attempt() {
            try {
                return new Startup(BrokerResource.start(), null);
            } catch (RuntimeException e) {
                return new Startup(null, e);
            }
        }

        KafkaBroker broker() {
            if (failure != null) {
                throw new IllegalStateException("The Kafka broker of this test JVM failed to start: "
                        + failure.getMessage(), failure);
            }
            return resource.broker();
        }

        @Override
        public void close() throws Exception {
            if (resource != null) {
                resource.close();
            }
        }
    }

    /**
     * A started broker, or the handle on an external one. The root store holds it (inside {@link Startup});
     * JUnit (5.13+) closes {@link AutoCloseable} store values when the store's context closes, which for the
     * root context is the end of the test run.
     */
    private static final class BrokerResource implements AutoCloseable {
        private final KafkaBroker broker;
        private final KafkaClusterTestKit cluster; // null for an external broker

        private BrokerResource(KafkaBroker broker, KafkaClusterTestKit cluster) {
            this.broker = broker;
            this.cluster = cluster;
        }

        KafkaBroker broker() {
            return broker;
        }

        static BrokerResource start() {
            String external = System.getProperty(BOOTSTRAP_PROPERTY, "").trim();
            return external.isEmpty() ? startEmbedded() : useExternal(external);
        }

        private static BrokerResource startEmbedded() {
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
            EMBEDDED_STARTS.incrementAndGet();
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
                try {
                    cluster.format();
                    cluster.startup();
                    cluster.waitForReadyBrokers();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, KafkaBrokerExtension::startThread);
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
            KafkaBroker broker = new KafkaBroker(cluster.bootstrapServers(), true);
            LOG.info("In-JVM Kafka broker (KRaft, {}) ready at {} in {} ms",
                    MetadataVersion.latestProduction(), broker.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return new BrokerResource(broker, cluster);
        }

        private static BrokerResource useExternal(String bootstrap) {
            KafkaBroker broker = new KafkaBroker(bootstrap, false);
            // Fail once, here, with the address, rather than in every test with a client timeout.
            // The call carries its own deadline, so closing the Admin after a failure does not wait for it.
            DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) EXTERNAL_PROBE_TIMEOUT.toMillis());
            try (Admin admin = Admin.create(broker.adminProps())) {
                int nodes = admin.describeCluster(options).nodes()
                        .get(EXTERNAL_PROBE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS).size();
                LOG.info("Using the external Kafka broker at {} ({} node(s), -D{}); no in-JVM broker started",
                        bootstrap, nodes, BOOTSTRAP_PROPERTY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while probing -D" + BOOTSTRAP_PROPERTY + "=" + bootstrap, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("-D" + BOOTSTRAP_PROPERTY + "=" + bootstrap
                        + ": no Kafka broker answered within " + EXTERNAL_PROBE_TIMEOUT.toSeconds() + " s"
                        + " (is it running, and is its listener PLAINTEXT?)", e instanceof ExecutionException ? e.getCause() : e);
            }
            return new BrokerResource(broker, null);
        }

        private static RuntimeException closeAfterFailure(KafkaClusterTestKit cluster, RuntimeException failure) {
            try {
                cluster.close();
            } catch (Exception closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            return failure;
        }

        @Override
        public void close() throws Exception {
            broker.close();
            if (cluster != null) {
                long t0 = System.nanoTime();
                cluster.close();
                LOG.info("In-JVM Kafka broker at {} stopped in {} ms", broker.bootstrapServers(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
    }
}
