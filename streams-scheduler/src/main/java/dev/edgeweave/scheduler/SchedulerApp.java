package dev.edgeweave.scheduler;

import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import dev.edgeweave.config.StatusServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.schemas.topic.KafkaAccess;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.PromptLedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler as a process: loads its configuration ({@link SchedulerConfig}, through the shared
 * {@link Settings} loader), creates the topics it needs, builds {@link SchedulerTopology}, runs it in
 * {@link KafkaStreams} with exactly-once, and serves {@code /metrics} and {@code /health}
 * ({@link SchedulerHttpServer}). {@code main} does only that; the routing is all in the topology.
 *
 * <p>Reads {@code prompts}, {@code node-results} (prompt id → raw bytes), {@code node-state},
 * {@code network-telemetry}, {@code routing-policy} (global); writes {@code node.<nodeId>.prompts}
 * ({@code RoutedPrompt}), {@code prompt-completions}, {@code prompt-rejections} and {@code prompts-dlq}.
 *
 * <p>Lifecycle: one INFO line per event (start, topics, HTTP, each Kafka Streams state change, shutdown).
 * SIGTERM closes Kafka Streams within {@code scheduler.shutdown.timeout}, leaving the consumer group so the
 * partitions move to the other instances at once. A configuration error exits 2 with the key, value and source;
 * a failure to start, or a stream thread that dies, exits 1.
 */
public final class SchedulerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerApp.class);

    /** Exit status for a configuration error. */
    static final int EXIT_CONFIG = 2;
    /** Exit status for a failure to start or a Kafka Streams that stopped on an error. */
    static final int EXIT_FAILED = 1;

    /**
     * Kafka Streams settings the scheduler decides itself, with the key to use instead: a {@code kafka.*}
     * pass-through of one of them is a configuration error rather than a silent override.
     */
    static final Map<String, String> FIXED = Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, SchedulerConfig.APPLICATION_ID,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SchedulerConfig.BOOTSTRAP,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "nothing: the scheduler always runs exactly_once_v2",
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, SchedulerConfig.COMMIT_INTERVAL,
            StreamsConfig.STATE_DIR_CONFIG, SchedulerConfig.STATE_DIR,
            StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, "nothing: a failed write stops the app");

    private final SchedulerConfig config;
    private final KafkaStreams streams;
    private final SchedulerCounters counters;
    private final SchedulerMetrics metrics;
    private final StatusServer http;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();

    private SchedulerApp(SchedulerConfig config, KafkaStreams streams, SchedulerCounters counters,
                         SchedulerMetrics metrics, StatusServer http) {
        this.config = config;
        this.streams = streams;
        this.counters = counters;
        this.metrics = metrics;
        this.http = http;
    }

    /** Runs the scheduler until SIGTERM (exit 0 then), a configuration error (2) or a failure (1). */
    public static void main(String[] args) {
        if (args.length > 0) {
            boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
            if (!help) {
                System.err.println("edgeweave-scheduler: takes no arguments but --help; it is configured by settings");
            }
            (help ? System.out : System.err).print(usage());
            System.exit(help ? 0 : EXIT_CONFIG);
            return;
        }
        Settings settings;
        try {
            settings = Settings.fromSystem(SchedulerConfig.DEFAULTS, SchedulerConfig.ENV_PREFIX);
            SchedulerConfig.from(settings);
            streamsProperties(settings);
        } catch (SettingsException | ConfigException e) {
            System.err.println("edgeweave-scheduler: configuration error: " + e.getMessage());
            System.err.println("edgeweave-scheduler: run with --help for every setting");
            System.exit(EXIT_CONFIG);
            return;
        }
        SchedulerApp app;
        try {
            app = start(settings);
        } catch (KafkaAccess.KafkaAccessException e) {
            System.err.println("edgeweave-scheduler: " + e.getMessage());
            LOG.error("could not start: {}", e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        } catch (RuntimeException e) {
            LOG.error("could not start: {}", e.toString());
            System.exit(EXIT_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutdown requested (SIGTERM or exit)");
            app.close();
        }, "scheduler-shutdown"));
        int status = app.awaitStop();
        app.close();
        System.exit(status);
    }

    /**
     * Starts the scheduler with the standard topic names: creates the topics that are missing, builds the
     * topology, starts the HTTP endpoints and Kafka Streams. Returns once started; Kafka Streams goes on to
     * {@code RUNNING} in the background ({@code /health} says when).
     *
     * @throws SettingsException for a configuration error
     * @throws KafkaAccess.KafkaAccessException when Kafka refuses the credentials or does not answer within 30 s
     * @throws IllegalStateException when the topics cannot be created (wrong partition count)
     * @throws UncheckedIOException when the HTTP port cannot be bound
     */
    public static SchedulerApp start(Settings settings) {
        SchedulerConfig config = SchedulerConfig.from(settings);
        KafkaClientSettings client = KafkaClientSettings.from(settings);
        Properties props = streamsProperties(settings, client);
        SchedulerTopology.Names names = SchedulerTopology.Names.standard();
        LOG.info("starting edgeweave scheduler '{}' with {}", config.applicationId(), settings);
        LOG.info("Kafka at {}: {}", config.bootstrap(), client.describe());
        // Before Kafka Streams: a refused login would otherwise be retried by every thread, a trace each time.
        KafkaAccess.check(config.bootstrap(), client, KafkaAccess.START_TIMEOUT);
        Set<String> known = new HashSet<>(SchedulerConfig.DEFAULTS.keySet());
        known.add("kafka.");
        settings.unknownKeys(known).forEach(k -> LOG.warn("unknown setting {} (from {}) is ignored: a typo?", k,
                settings.source(k)));

        List<String> created;
        try {
            created = ensureTopics(props, names, config.topicReplication());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot make sure the topics exist on Kafka at " + config.bootstrap()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("topics ready: {} created, {} existed", created, topics(names).size() - created.size());

        CityClock clock = config.cityClock();
        LOG.info("city clock: start {}, speed-up {}; ledger scan every {} ms of wall time", clock.start(),
                clock.speedup(), config.scheduler().punctuateEvery().toMillis());
        CityState city = new CityState(GpuCatalog.standard(), config.nodes());
        SchedulerCounters counters = new SchedulerCounters();
        Topology topology = SchedulerTopology.build(names, ModelCatalog.standard(), city, Optional.empty(),
                config.scheduler(), clock, counters);
        KafkaStreams streams = new KafkaStreams(topology, props);
        SchedulerMetrics metrics = new SchedulerMetrics(counters, () -> inFlight(streams));
        StatusServer http;
        try {
            http = SchedulerHttpServer.start(config.httpPort(), metrics::scrape, streams::state);
        } catch (IOException e) {
            metrics.close();
            streams.close(Duration.ZERO);
            throw new UncheckedIOException("cannot serve /metrics and /health on port " + config.httpPort(), e);
        }
        LOG.info("serving /metrics and /health on port {}", http.port());
        SchedulerApp app = new SchedulerApp(config, streams, counters, metrics, http);
        streams.setStateListener(app::stateChanged);
        streams.setUncaughtExceptionHandler(e -> {
            app.failed.set(true);
            LOG.error("a stream thread failed; stopping this instance so it restarts from the last commit", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            streams.start();
        } catch (RuntimeException e) {
            streams.close(Duration.ZERO);
            http.close();
            metrics.close();
            throw e;
        }
        return app;
    }

    /**
     * The Kafka Streams properties of the app, from the same settings {@link #start} uses (tests take them too,
     * so they run exactly the app's configuration): the client properties of {@link KafkaClientSettings#from}
     * (every {@code kafka.*} key with the prefix stripped, {@code kafka.security.protocol} →
     * {@code security.protocol}, and SCRAM from {@code kafka.sasl.username} and the password's variable;
     * {@code kafka.bootstrap} is {@code bootstrap.servers}), then what the scheduler fixes: application id,
     * exactly_once_v2, the commit interval, the state directory and the failing production-exception handler.
     *
     * @throws SettingsException for a bad value, or a {@code kafka.*} key that would override a fixed setting
     * @throws ConfigException when Kafka refuses a passed-through value
     */
    public static Properties streamsProperties(Settings settings) {
        return streamsProperties(settings, KafkaClientSettings.from(settings));
    }

    /**
     * {@link #streamsProperties(Settings)} with the client properties given: a lab binds every component to the
     * same ones.
     */
    public static Properties streamsProperties(Settings settings, KafkaClientSettings client) {
        SchedulerConfig config = SchedulerConfig.from(settings);
        Properties passThrough = client.properties();
        for (String key : passThrough.stringPropertyNames()) {
            if (FIXED.containsKey(key)) {
                String setting = KafkaClientSettings.PREFIX + key;
                throw new SettingsException("setting '" + setting + "'"
                        + (settings.contains(setting) ? " (from " + settings.source(setting) + ")" : "")
                        + " would override what the scheduler fixes; set " + FIXED.get(key) + " instead");
            }
        }
        Properties props = new Properties();
        // Under exactly-once, a transaction's first write to a partition whose previous commit markers are still
        // being written is refused (CONCURRENT_TRANSACTIONS) and retried after retry.backoff.ms: Kafka's 100 ms
        // default stalls the stream thread that long, several times a second under load. A default; kafka.* wins.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
        props.putAll(passThrough);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        // Exactly one terminal record per prompt needs the ledger, the outputs and the input offsets to move
        // together: one transaction per commit.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Downstream read_committed consumers see output only after a commit: this bounds their latency.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitInterval().toMillis()));
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir));
        // Never wait for an empty input partition before processing the other: a result cannot precede the
        // prompt it answers (the prompt is routed before any server sees it), so there is no order to keep
        // between the two topics, and the wait costs the stream thread time on every poll.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionFailureHandler.class.getName());
        new StreamsConfig(props); // Kafka's own checks, at start rather than later in a stream thread
        return props;
    }

    /**
     * The topics the scheduler reads and writes, as {@link Topics} defines them, under {@code names} (the
     * per-server {@code node.<id>.prompts} topics are created by each server's connector).
     */
    static List<Topic<?, ?>> topics(SchedulerTopology.Names names) {
        return List.of(renamed(Topics.PROMPTS, names.prompts()), renamed(Topics.NODE_RESULTS, names.results()),
                renamed(Topics.PROMPT_COMPLETIONS, names.completions()),
                renamed(Topics.PROMPT_REJECTIONS, names.rejections()),
                renamed(Topics.PROMPTS_DLQ, names.deadLetters()), renamed(Topics.NODE_STATE, names.nodeState()),
                renamed(Topics.NETWORK_TELEMETRY, names.telemetry()), renamed(Topics.ROUTING_POLICY, names.policy()));
    }

    /**
     * Creates the missing {@link #topics} with the app's client settings (SASL included).
     *
     * @return the names created
     */
    static List<String> ensureTopics(Properties streamsProperties, SchedulerTopology.Names names, short replication) {
        Map<String, Object> adminConfig = new StreamsConfig(streamsProperties)
                .getAdminConfigs(streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-topics");
        Admin admin = Admin.create(adminConfig);
        try {
            return new TopicAdmin(admin, replication, Duration.ofSeconds(30)).ensure(topics(names));
        } finally {
            admin.close(Duration.ofSeconds(5)); // not Admin's default: it waits for calls that may never end
        }
    }

    /** The Kafka Streams state: {@code /health} is 200 for RUNNING and REBALANCING. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The port of {@code /metrics} and {@code /health}. */
    public int httpPort() {
        return http.port();
    }

    public SchedulerCounters counters() {
        return counters;
    }

    public SchedulerConfig config() {
        return config;
    }

    /**
     * Blocks until Kafka Streams stops, by a {@link #close} or an error.
     *
     * @return 0 after a close, {@link #EXIT_FAILED} after an error
     */
    int awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failed.get() || streams.state() == KafkaStreams.State.ERROR ? EXIT_FAILED : 0;
    }

    /**
     * Stops gracefully: Kafka Streams commits, leaves the group (so its partitions move at once instead of
     * after {@code session.timeout.ms}) and closes within {@code scheduler.shutdown.timeout}; then the HTTP
     * endpoints stop. Idempotent; a second call returns at once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        Duration timeout = config.shutdownTimeout();
        LOG.info("stopping: closing Kafka Streams (at most {} s)", timeout.toSeconds());
        boolean clean = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        http.close();
        metrics.close();
        stopped.countDown();
        LOG.info("stopped in {} ms{}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                clean ? "" : " (Kafka Streams had not finished closing when the timeout passed)");
    }

    private void stateChanged(KafkaStreams.State to, KafkaStreams.State from) {
        if (to == KafkaStreams.State.ERROR) {
            failed.set(true);
            LOG.error("Kafka Streams {} -> {}", from, to);
        } else {
            LOG.info("Kafka Streams {} -> {}", from, to);
        }
        if (to == KafkaStreams.State.NOT_RUNNING || to == KafkaStreams.State.ERROR) {
            stopped.countDown();
        }
    }

    /**
     * The prompts in the ledgers of this instance's active tasks: RocksDB's estimate, summed. NaN while the
     * stores cannot be queried (before the first assignment, during a migration).
     */
    static double inFlight(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return Double.NaN;
        }
        try {
            ReadOnlyKeyValueStore<String, PromptLedgerEntry> ledger = streams.store(StoreQueryParameters
                    .fromNameAndType(SchedulerTopology.LEDGER_STORE, QueryableStoreTypes.keyValueStore()));
            return ledger.approximateNumEntries();
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
    }

    static String usage() {
        return "edgeweave-scheduler: routes every prompt to an edge server (Kafka Streams, exactly-once).\n"
                + "Usage: java -jar edgeweave-streams-scheduler-<version>-all.jar\n\n"
                + "Settings, lowest precedence first: the defaults below, a properties file named by\n"
                + "-Dedgeweave.config=<file> or EDGEWEAVE_CONFIG, environment variables. Any kafka.<name>\n"
                + "(EDGEWEAVE_KAFKA_<NAME>) passes <name> to the Kafka clients, e.g. kafka.security.protocol.\n"
                + KafkaClientSettings.USAGE + "\n"
                + SchedulerConfig.describeKeys();
    }

    private static <K, V> Topic<K, V> renamed(Topic<K, V> topic, String name) {
        return name.equals(topic.name()) ? topic
                : new Topic<>(name, topic.keySerde(), topic.valueSerde(), topic.partitions(), topic.configs());
    }
}
