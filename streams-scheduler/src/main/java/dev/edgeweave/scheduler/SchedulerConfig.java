package dev.edgeweave.scheduler;

import dev.edgeweave.config.SettingKey;
import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scheduler app's configuration, read once through the shared loader ({@link Settings}: defaults in code
 * &lt; a properties file &lt; {@code EDGEWEAVE_*} environment variables) and checked as a whole, so a bad value
 * stops the app at start with the key, the value and where it came from.
 *
 * <p>{@link #KEYS} lists every key with its default and meaning; the README's table and {@code --help} are
 * made from the same list. Kafka client settings ({@code kafka.*}, e.g. {@code kafka.security.protocol},
 * {@code kafka.sasl.jaas.config} from the environment) pass through to Kafka Streams: see
 * {@link SchedulerApp#streamsProperties}.
 *
 * @param bootstrap        Kafka bootstrap servers
 * @param applicationId    the Kafka Streams application id
 * @param commitInterval   the exactly-once commit interval; bounds the latency read_committed readers see
 * @param scheduler        what the topology is configured with (attempts, timeouts, retention, scan period)
 * @param scanInterval     how often the ledger is scanned, in city time
 * @param nodes            the city's servers; empty means any server id is accepted
 * @param citySpeedup      city seconds per wall second
 * @param cityStart        where city and wall time agree; empty means when the process starts
 * @param httpPort         the port of {@code /metrics} and {@code /health}; 0 picks a free one
 * @param stateDir         the Kafka Streams state directory; empty means Kafka's default
 * @param topicReplication the replication factor of topics the app creates
 * @param shutdownTimeout  how long a shutdown waits for Kafka Streams to close
 */
public record SchedulerConfig(String bootstrap, String applicationId, Duration commitInterval,
                              SchedulerSettings scheduler, Duration scanInterval, Set<String> nodes,
                              double citySpeedup, Optional<Instant> cityStart, int httpPort,
                              Optional<String> stateDir, short topicReplication, Duration shutdownTimeout) {

    /** The environment prefix: {@code scheduler.max.attempts} is {@code EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS}. */
    public static final String ENV_PREFIX = "EDGEWEAVE";

    public static final String BOOTSTRAP = "kafka.bootstrap";
    public static final String APPLICATION_ID = "scheduler.application.id";
    public static final String COMMIT_INTERVAL = "scheduler.commit.interval";
    public static final String MAX_ATTEMPTS = "scheduler.max.attempts";
    public static final String HEARTBEAT_TIMEOUT = "scheduler.heartbeat.timeout";
    public static final String ATTEMPT_TIMEOUT_FACTOR = "scheduler.attempt.timeout.factor";
    public static final String DUPLICATE_RETENTION = "scheduler.duplicate.retention";
    public static final String SCAN_INTERVAL = "scheduler.scan.interval";
    public static final String NODES = "scheduler.nodes";
    public static final String CITY_SPEEDUP = "scheduler.city.speedup";
    public static final String CITY_START = "scheduler.city.start";
    public static final String ADMISSION_FACTOR = "scheduler.admission.factor";
    public static final String HTTP_PORT = "scheduler.http.port";
    public static final String STATE_DIR = "scheduler.state.dir";
    public static final String TOPIC_REPLICATION = "scheduler.topic.replication";
    public static final String SHUTDOWN_TIMEOUT = "scheduler.shutdown.timeout";

    /** Every key of the app, in the order the README and {@code --help} list them. */
    public static final List<SettingKey> KEYS = List.of(
            new SettingKey(BOOTSTRAP, "localhost:9092", "Kafka bootstrap servers"),
            new SettingKey(APPLICATION_ID, "edgeweave-scheduler", "Kafka Streams application id: the consumer group, "
                    + "the prefix of the changelog topics and the state directory's name. Instances with the same "
                    + "id share the prompt partitions"),
            new SettingKey(COMMIT_INTERVAL, "100ms", "how often the exactly-once transaction commits. Downstream "
                    + "read_committed consumers (connectors, planner, clients) see records only after the commit, so "
                    + "it bounds the latency they see; shorter means more transactions per second"),
            new SettingKey(MAX_ATTEMPTS, "3", "attempts per prompt before it is rejected RETRIES_EXHAUSTED"),
            new SettingKey(HEARTBEAT_TIMEOUT, "3s", "city time: a server whose last node-state is older is down "
                    + "(3 missed 1-second heartbeats); its attempts are routed again"),
            new SettingKey(ATTEMPT_TIMEOUT_FACTOR, "3", "an attempt still without a result after this many times "
                    + "max(SLO, predicted latency) is given up and routed again"),
            new SettingKey(ADMISSION_FACTOR, "4", "admission control: a new prompt whose chosen server's predicted "
                    + "latency is over this many times its SLO is rejected OVERLOADED rather than queued, so queues "
                    + "stay bounded under overload. 0: admit everything"),
            new SettingKey(DUPLICATE_RETENTION, "24h", "city time: how long accepted prompt ids are remembered to refuse "
                    + "duplicates"),
            new SettingKey(SCAN_INTERVAL, "1s", "city time: how often the ledger is scanned for stale servers and overdue "
                    + "attempts (Streams punctuates on the wall clock: every interval / speed-up, at least 10 ms)"),
            new SettingKey(NODES, "", "comma-separated ids of the city's servers; a node-state of another id is refused. "
                    + "Empty: any id (connectors announce themselves)"),
            new SettingKey(CITY_SPEEDUP, "1", "the city clock's speed-up: city time = start + (wall - start) x speed-up"),
            new SettingKey(CITY_START, "", "ISO-8601 instant at which city and wall time agree: the lab's start, the same "
                    + "for every component. Empty: when this process starts"),
            new SettingKey(HTTP_PORT, "8081", "port of /metrics and /health (0: any free port)"),
            new SettingKey(STATE_DIR, "", "Kafka Streams state directory (the in-flight ledger and accepted ids, in "
                    + "RocksDB). Empty: Kafka's default, <java.io.tmpdir>/kafka-streams; use a persistent volume, "
                    + "or each restart restores the stores from their changelogs"),
            new SettingKey(TOPIC_REPLICATION, "1", "replication factor of the topics the app creates at start when they "
                    + "are missing (1 for a one-broker lab)"),
            new SettingKey(SHUTDOWN_TIMEOUT, "30s", "how long a shutdown (SIGTERM) waits for Kafka Streams to commit and "
                    + "leave the group"));

    /** The defaults in code, for {@link Settings#fromSystem}. */
    public static final Map<String, String> DEFAULTS = SettingKey.defaults(KEYS);

    /** Streams punctuations closer than this would spin: the wall-clock scan period never goes below it. */
    static final Duration MIN_SCAN_PERIOD = Duration.ofMillis(10);

    private static final Pattern APPLICATION_ID_RULE = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public SchedulerConfig {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(scanInterval, "scanInterval");
        nodes = Set.copyOf(nodes);
        Objects.requireNonNull(cityStart, "cityStart");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /**
     * Reads and checks every key.
     *
     * @throws SettingsException naming the key, its value and its source, for any value that is missing,
     *     malformed or out of range
     */
    public static SchedulerConfig from(Settings s) {
        String bootstrap = s.string(BOOTSTRAP);
        if (bootstrap.isEmpty()) {
            throw s.invalid(BOOTSTRAP, "is empty: name at least one host:port");
        }
        String applicationId = s.string(APPLICATION_ID);
        if (!APPLICATION_ID_RULE.matcher(applicationId).matches()) {
            throw s.invalid(APPLICATION_ID, "is not a valid application id: it names topics, so use 1 to 200 "
                    + "ASCII letters, digits, '.', '_' and '-'");
        }
        Duration commitInterval = s.positiveDuration(COMMIT_INTERVAL);
        if (commitInterval.toMillis() < 1) {
            throw s.invalid(COMMIT_INTERVAL, "is under a millisecond, Kafka's unit for it");
        }
        int maxAttempts = s.integer(MAX_ATTEMPTS, 1, 100);
        Duration heartbeatTimeout = s.positiveDuration(HEARTBEAT_TIMEOUT);
        double factor = s.decimal(ATTEMPT_TIMEOUT_FACTOR, 1.0, 1000.0);
        double admission = s.decimal(ADMISSION_FACTOR, 0.0, 1000.0);
        if (admission > 0 && admission < 1) {
            throw s.invalid(ADMISSION_FACTOR, "is between 0 and 1: it would refuse prompts predicted within their SLO; "
                    + "use 0 (off) or a factor >= 1");
        }
        Duration retention = s.positiveDuration(DUPLICATE_RETENTION);
        Duration scan = s.positiveDuration(SCAN_INTERVAL);
        Set<String> nodes = new LinkedHashSet<>();
        for (String id : s.list(NODES)) {
            try {
                Topics.nodePrompts(id);
            } catch (IllegalArgumentException e) {
                throw s.invalid(NODES, "holds an id that cannot name a topic: " + e.getMessage());
            }
            nodes.add(id);
        }
        double speedup = s.decimal(CITY_SPEEDUP, 0.001, 10_000.0);
        Optional<Instant> cityStart = s.optionalInstant(CITY_START);
        int httpPort = s.integer(HTTP_PORT, 0, 65_535);
        Optional<String> stateDir = s.optionalString(STATE_DIR);
        short replication = (short) s.integer(TOPIC_REPLICATION, 1, Short.MAX_VALUE);
        Duration shutdownTimeout = s.positiveDuration(SHUTDOWN_TIMEOUT);

        Duration wallScan = Duration.ofNanos(Math.round(scan.toNanos() / speedup));
        if (wallScan.compareTo(MIN_SCAN_PERIOD) < 0) {
            wallScan = MIN_SCAN_PERIOD;
        }
        SchedulerSettings scheduler = new SchedulerSettings(maxAttempts, heartbeatTimeout, factor, admission, retention,
                wallScan);
        return new SchedulerConfig(bootstrap, applicationId, commitInterval, scheduler, scan, nodes, speedup,
                cityStart, httpPort, stateDir, replication, shutdownTimeout);
    }

    /** The city clock these settings describe, started now unless {@link #cityStart} names the start. */
    public CityClock cityClock() {
        return CityClock.system(cityStart.orElseGet(Instant::now), citySpeedup);
    }

    /** Every key with its environment variable, default and meaning, for {@code --help}. */
    public static String describeKeys() {
        return SettingKey.describe(KEYS, ENV_PREFIX);
    }
}
