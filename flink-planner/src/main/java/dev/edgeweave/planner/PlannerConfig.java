package dev.edgeweave.planner;

import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.SettingKey;
import dev.edgeweave.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The planner's configuration, read once through the shared loader ({@link Settings}).
 *
 * @param bootstrap          Kafka bootstrap servers
 * @param groupId            the Kafka consumer group of the job's source (offsets are also in its checkpoints)
 * @param settings           windows, watermarks, agents
 * @param checkpointInterval wall time between checkpoints
 * @param checkpointDir      where checkpoints go (a URI such as {@code file:///var/lib/edgeweave/planner}); empty:
 *                           the JobManager's memory (lost with the process)
 * @param parallelism        the job's parallelism
 * @param metricsPort        port of Flink's Prometheus reporter in the local (MiniCluster) run
 * @param kafka              the Kafka client properties of its source, sink and admin ({@code kafka.*}, SCRAM)
 */
public record PlannerConfig(String bootstrap, String groupId, PlannerSettings settings, Duration checkpointInterval,
                            Optional<String> checkpointDir, int parallelism, int metricsPort,
                            KafkaClientSettings kafka) {

    public static final String ENV_PREFIX = "EDGEWEAVE";
    public static final String BOOTSTRAP = "kafka.bootstrap";
    public static final String GROUP_ID = "planner.group.id";
    public static final String SHORT_WINDOW = "planner.short.window";
    public static final String LONG_WINDOW = "planner.long.window";
    public static final String LONG_SLIDE = "planner.long.slide";
    public static final String OUT_OF_ORDERNESS = "planner.out.of.orderness";
    public static final String IDLENESS = "planner.idleness";
    public static final String AGENT_TIMEOUT = "planner.agent.timeout";
    public static final String HEARTBEAT_TIMEOUT = "planner.heartbeat.timeout";
    public static final String CHURN_LIMIT = "planner.churn.limit";
    public static final String CHECKPOINT_INTERVAL = "planner.checkpoint.interval";
    public static final String CHECKPOINT_DIR = "planner.checkpoint.dir";
    public static final String PARALLELISM = "planner.parallelism";
    public static final String METRICS_PORT = "planner.metrics.port";

    public static final List<SettingKey> KEYS = List.of(
            new SettingKey(BOOTSTRAP, "localhost:9092", "Kafka bootstrap servers"),
            new SettingKey(GROUP_ID, "edgeweave-planner", "consumer group of the job's Kafka source"),
            new SettingKey(SHORT_WINDOW, "10s", "city time: the short-term agent's tumbling window"),
            new SettingKey(LONG_WINDOW, "5m", "city time: the long-term agent's sliding window"),
            new SettingKey(LONG_SLIDE, "1m", "city time: how often the long window fires (divides the window)"),
            new SettingKey(OUT_OF_ORDERNESS, "2s", "city time: how late an event may arrive and still count in its "
                    + "window (the watermark's bound); later ones are counted in lateEvents and left out"),
            new SettingKey(IDLENESS, "5s", "wall time after which a quiet source partition stops holding the "
                    + "watermark back"),
            new SettingKey(AGENT_TIMEOUT, "5s", "wall time an agent may take before the optimizer's decision "
                    + "replaces its answer"),
            new SettingKey(HEARTBEAT_TIMEOUT, "3s", "city time: a server whose last state is older at a window's end "
                    + "is down (the planner gives it nothing)"),
            new SettingKey(CHURN_LIMIT, "1", "loads plus unloads per server per plan"),
            new SettingKey(CHECKPOINT_INTERVAL, "10s", "wall time between checkpoints"),
            new SettingKey(CHECKPOINT_DIR, "", "checkpoint storage URI (file:///..., s3://...). Empty: the "
                    + "JobManager's memory, lost with the process"),
            new SettingKey(PARALLELISM, "1", "the job's parallelism (the windows are city-wide: one key)"),
            new SettingKey(METRICS_PORT, "9249", "port of Flink's Prometheus reporter (/metrics) when run locally"));

    /** The planner's keys and the agents' ({@link AgentsConfig#KEYS}). */
    public static final Map<String, String> DEFAULTS = SettingKey.defaults(allKeys());

    private static List<SettingKey> allKeys() {
        List<SettingKey> all = new java.util.ArrayList<>(KEYS);
        all.addAll(AgentsConfig.KEYS);
        return all;
    }

    public PlannerConfig {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(kafka, "kafka");
    }

    /** Reads and checks every key; errors name the key, the value and its source. */
    public static PlannerConfig from(Settings s) {
        if (s.string(BOOTSTRAP).isEmpty()) {
            throw s.invalid(BOOTSTRAP, "is empty: name at least one host:port");
        }
        Duration longWindow = s.positiveDuration(LONG_WINDOW);
        Duration slide = s.positiveDuration(LONG_SLIDE);
        if (longWindow.toMillis() % slide.toMillis() != 0) {
            throw s.invalid(LONG_SLIDE, "does not divide " + LONG_WINDOW + " (" + longWindow + ")");
        }
        PlannerSettings settings = new PlannerSettings(s.positiveDuration(SHORT_WINDOW), longWindow, slide,
                s.duration(OUT_OF_ORDERNESS), s.positiveDuration(IDLENESS), s.positiveDuration(AGENT_TIMEOUT),
                s.positiveDuration(HEARTBEAT_TIMEOUT), s.integer(CHURN_LIMIT, 1, 100), AgentsConfig.from(s));
        return new PlannerConfig(s.string(BOOTSTRAP), s.string(GROUP_ID), settings,
                s.positiveDuration(CHECKPOINT_INTERVAL), s.optionalString(CHECKPOINT_DIR),
                s.integer(PARALLELISM, 1, 1024), s.integer(METRICS_PORT, 0, 65_535), KafkaClientSettings.from(s));
    }

    public static String describeKeys() {
        return SettingKey.describe(allKeys(), ENV_PREFIX) + "\nAny kafka.<name> (EDGEWEAVE_KAFKA_<NAME>) passes <name> "
                + "to the Kafka clients (source, sink, admin).\n" + KafkaClientSettings.USAGE;
    }
}
