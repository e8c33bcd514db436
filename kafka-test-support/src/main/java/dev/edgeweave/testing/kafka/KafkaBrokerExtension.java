package dev.edgeweave.testing.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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
 * <p>The broker is a single combined KRaft node (broker + controller) from Kafka's own test kit
 * ({@link EmbeddedKafka}, with its settings), started on first use and kept in the root {@link ExtensionContext.Store}: every test class of the run shares it, and
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
    private static final Duration EXTERNAL_PROBE_TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger EMBEDDED_STARTS = new AtomicInteger();

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
        private final EmbeddedKafka embedded; // null for an external broker

        private BrokerResource(KafkaBroker broker, EmbeddedKafka embedded) {
            this.broker = broker;
            this.embedded = embedded;
        }

        KafkaBroker broker() {
            return broker;
        }

        static BrokerResource start() {
            String external = System.getProperty(BOOTSTRAP_PROPERTY, "").trim();
            return external.isEmpty() ? startEmbedded() : useExternal(external);
        }

        private static BrokerResource startEmbedded() {
            EMBEDDED_STARTS.incrementAndGet();
            EmbeddedKafka kafka = EmbeddedKafka.start();
            LOG.info("In-JVM Kafka broker (KRaft, {}) ready at {} in {} ms", EmbeddedKafka.metadataVersion(),
                    kafka.bootstrapServers(), kafka.startMillis());
            return new BrokerResource(kafka.broker(), kafka);
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

        @Override
        public void close() throws Exception {
            broker.close();
            if (embedded != null) {
                long t0 = System.nanoTime();
                embedded.close();
                LOG.info("In-JVM Kafka broker at {} stopped in {} ms", broker.bootstrapServers(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
    }
}
