package dev.edgeweave.connector;

import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.SettingKey;
import dev.edgeweave.config.Settings;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node connector's configuration, read once through the shared loader ({@link Settings}: defaults in code
 * &lt; properties file &lt; {@code EDGEWEAVE_*} environment variables). Every key is in {@link #KEYS} with its
 * default and meaning; {@code --help} and the module README list them.
 *
 * @param bootstrap         Kafka bootstrap servers
 * @param server            the edge server: id, site, GPUs, storage bandwidth
 * @param runtime           {@code emulated} or {@code http}
 * @param citySpeedup       city seconds per wall second
 * @param cityStart         when city and wall time agree; empty: when the process starts
 * @param heartbeat         city time between two {@code NodeState}s
 * @param queueBound        prompts queued at one deployment beyond which a new one is handed back OVERLOADED
 * @param maxInFlight       prompts received and not yet answered beyond which the connector stops fetching
 * @param keepAlive         city time an on-demand deployment stays loaded while idle
 * @param replanInterval    city time between two of the on-node agent's plans made without a command (queues
 *                          building up or draining change its batch slots and GPU shares)
 * @param probes            TCP probe targets by link peer id ({@code host:port})
 * @param emulatedLinks     emulated links by peer id
 * @param probeInterval     city time between two rounds of network probes
 * @param httpPort          port of /metrics and /health
 * @param topicReplication  replication factor of the topics it creates
 * @param shutdownTimeout   how long a graceful stop waits for running prompts
 * @param http              the HTTP runtime's settings (unused by the emulated runtime)
 * @param agents            the on-node deployment agent's brain (optimizer or LLM) and the model server
 * @param kafka             the client properties of its producer, consumers and admin ({@code kafka.*}, SCRAM)
 */
public record ConnectorConfig(String bootstrap, EdgeServer server, String runtime, double citySpeedup,
                              Optional<Instant> cityStart, Duration heartbeat, int queueBound, int maxInFlight,
                              Duration keepAlive, Duration replanInterval, Map<String, String> probes, Map<String, EmulatedLink> emulatedLinks,
                              Duration probeInterval, int httpPort, short topicReplication, Duration shutdownTimeout,
                              HttpRuntimeSettings http, AgentsConfig agents, KafkaClientSettings kafka) {

    /** An emulated link's figures, published as its measurement in the emulated city. */
    public record EmulatedLink(double rttMillis, double uplinkMbps, double downlinkMbps) {
    }

    /** The HTTP runtime's settings. */
    public record HttpRuntimeSettings(String host, int basePort, Duration requestTimeout, Duration readyTimeout,
                                      String launcher, String command, String dockerImage, int containerPort,
                                      Path logDir, Map<String, String> modelUrls, Map<String, String> modelNames) {
    }

    public static final String ENV_PREFIX = "EDGEWEAVE";

    public static final String BOOTSTRAP = "kafka.bootstrap";
    public static final String NODE_ID = "connector.node.id";
    public static final String SITE_ID = "connector.site.id";
    public static final String GPUS = "connector.gpus";
    public static final String STORAGE_GBPS = "connector.storage.gbps";
    public static final String RUNTIME = "connector.runtime";
    public static final String CITY_SPEEDUP = "connector.city.speedup";
    public static final String CITY_START = "connector.city.start";
    public static final String HEARTBEAT = "connector.heartbeat.interval";
    public static final String QUEUE_BOUND = "connector.queue.bound";
    public static final String MAX_IN_FLIGHT = "connector.max.in.flight";
    public static final String KEEP_ALIVE = "connector.keep.alive";
    public static final String REPLAN_INTERVAL = "connector.replan.interval";
    public static final String PROBES = "connector.probes";
    public static final String EMULATED_LINKS = "connector.links.emulated";
    public static final String PROBE_INTERVAL = "connector.probe.interval";
    public static final String HTTP_PORT = "connector.http.port";
    public static final String TOPIC_REPLICATION = "connector.topic.replication";
    public static final String SHUTDOWN_TIMEOUT = "connector.shutdown.timeout";
    public static final String HTTP_HOST = "connector.http.runtime.host";
    public static final String HTTP_BASE_PORT = "connector.http.runtime.base.port";
    public static final String HTTP_REQUEST_TIMEOUT = "connector.http.runtime.request.timeout";
    public static final String HTTP_READY_TIMEOUT = "connector.http.runtime.ready.timeout";
    public static final String HTTP_LAUNCHER = "connector.http.runtime.launcher";
    public static final String HTTP_COMMAND = "connector.http.runtime.command";
    public static final String HTTP_DOCKER_IMAGE = "connector.http.runtime.docker.image";
    public static final String HTTP_CONTAINER_PORT = "connector.http.runtime.docker.container.port";
    public static final String HTTP_LOG_DIR = "connector.http.runtime.log.dir";
    public static final String HTTP_MODEL_URLS = "connector.http.runtime.model.urls";
    public static final String HTTP_MODEL_NAMES = "connector.http.runtime.model.names";

    /** Every key, in the order {@code --help} and the README list them. */
    public static final List<SettingKey> KEYS = List.of(
            new SettingKey(BOOTSTRAP, "localhost:9092", "Kafka bootstrap servers"),
            new SettingKey(NODE_ID, "", "the server's id (required): names its topic node.<id>.prompts and its "
                    + "node-state key; ASCII letters, digits, '_' and '-'"),
            new SettingKey(SITE_ID, "", "the edge site it stands at (empty: the node id)"),
            new SettingKey(GPUS, "a100-40gb", "its GPUs, comma-separated GPU catalog ids (repeat an id for two "
                    + "of a kind), e.g. l4,l4"),
            new SettingKey(STORAGE_GBPS, "0.5", "read bandwidth of model weights from storage, GB/s (load times)"),
            new SettingKey(RUNTIME, "emulated", "emulated (core's emulated GPU server on the city clock) or http "
                    + "(OpenAI-compatible model servers)"),
            new SettingKey(CITY_SPEEDUP, "1", "the city clock's speed-up: city time = start + (wall - start) x "
                    + "speed-up; emulated delays are waited for delay / speed-up"),
            new SettingKey(CITY_START, "", "ISO-8601 instant at which city and wall time agree, the same for every "
                    + "component of a lab. Empty: when this process starts"),
            new SettingKey(HEARTBEAT, "1s", "city time between two node-state records (the scheduler counts a "
                    + "server down after 3 missed)"),
            new SettingKey(QUEUE_BOUND, "64", "prompts queued at one deployment beyond which a new one is handed "
                    + "back OVERLOADED"),
            new SettingKey(MAX_IN_FLIGHT, "1000", "prompts received and not yet answered beyond which the "
                    + "connector stops fetching until some finish"),
            new SettingKey(KEEP_ALIVE, "5m", "city time a model loaded on demand (for a prompt routed to a server "
                    + "that could load it) stays loaded while idle; Ollama's default"),
            new SettingKey(REPLAN_INTERVAL, "10s", "city time between two plans of the on-node agent made without a "
                    + "command: queues building up or draining change its batch slots and GPU shares (the short-term "
                    + "agent's period)"),
            new SettingKey(PROBES, "", "network probe targets, comma-separated id=host:port: the TCP connect "
                    + "time to each, published as the link id/<node id>"),
            new SettingKey(EMULATED_LINKS, "", "emulated links, comma-separated id=rttMs/uplinkMbps/downlinkMbps: "
                    + "published as the links' measurements in an emulated city"),
            new SettingKey(PROBE_INTERVAL, "10s", "city time between two rounds of network probes"),
            new SettingKey(HTTP_PORT, "8082", "port of /metrics and /health (0: any free port)"),
            new SettingKey(TOPIC_REPLICATION, "1", "replication factor of the topics it creates when missing"),
            new SettingKey(SHUTDOWN_TIMEOUT, "30s", "how long a graceful stop (SIGTERM) waits for running prompts "
                    + "before handing the rest back"),
            new SettingKey(HTTP_HOST, "127.0.0.1", "http runtime: host of the model servers it launches"),
            new SettingKey(HTTP_BASE_PORT, "8100", "http runtime: port of the first model server it launches; the "
                    + "next ones take the following ports"),
            new SettingKey(HTTP_REQUEST_TIMEOUT, "120s", "http runtime: wall time one request may take before "
                    + "the attempt fails RUNTIME_ERROR"),
            new SettingKey(HTTP_READY_TIMEOUT, "10m", "http runtime: wall time a launched model server has to "
                    + "answer its health check before the load fails"),
            new SettingKey(HTTP_LAUNCHER, "none", "http runtime: none (the model servers run already: see "
                    + "model.urls), process (a command per deployment) or docker (docker run --gpus)"),
            new SettingKey(HTTP_COMMAND, "", "http runtime: the process launcher's command, with {model}, {gpu} "
                    + "and {port}, e.g. vllm serve {model} --port {port}; the docker launcher's arguments"),
            new SettingKey(HTTP_DOCKER_IMAGE, "vllm/vllm-openai:latest", "http runtime: the docker launcher's image"),
            new SettingKey(HTTP_CONTAINER_PORT, "8000", "http runtime: the port the model server listens on "
                    + "inside its container"),
            new SettingKey(HTTP_LOG_DIR, "logs/model-servers", "http runtime: where launched model servers' "
                    + "output goes (never into the connector's log: servers may echo prompts)"),
            new SettingKey(HTTP_MODEL_URLS, "", "http runtime: comma-separated model=base-url of model servers "
                    + "that run already, e.g. llama-3.1-8b-instruct=http://localhost:11434/v1"),
            new SettingKey(HTTP_MODEL_NAMES, "", "http runtime: comma-separated model=served-name where the "
                    + "server names a catalog model otherwise, e.g. llama-3.1-8b-instruct=llama3.1:8b"));

    /** The connector's keys and the agents' ({@link AgentsConfig#KEYS}). */
    public static final Map<String, String> DEFAULTS = SettingKey.defaults(allKeys());

    private static List<SettingKey> allKeys() {
        List<SettingKey> all = new ArrayList<>(KEYS);
        all.addAll(AgentsConfig.KEYS);
        return all;
    }

    public ConnectorConfig {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(kafka, "kafka");
        probes = Map.copyOf(probes);
        emulatedLinks = Map.copyOf(emulatedLinks);
    }

    /**
     * Reads and checks every key.
     *
     * @throws dev.edgeweave.config.SettingsException naming the key, its value and its source
     */
    public static ConnectorConfig from(Settings s, GpuCatalog gpus) {
        String bootstrap = s.string(BOOTSTRAP);
        if (bootstrap.isEmpty()) {
            throw s.invalid(BOOTSTRAP, "is empty: name at least one host:port");
        }
        String nodeId = s.string(NODE_ID);
        if (nodeId.isEmpty()) {
            throw s.invalid(NODE_ID, "is empty: every connector serves one named server");
        }
        try {
            Topics.nodePrompts(nodeId);
        } catch (IllegalArgumentException e) {
            throw s.invalid(NODE_ID, "cannot name the server's topic: " + e.getMessage());
        }
        String site = s.string(SITE_ID).isEmpty() ? nodeId : s.string(SITE_ID);
        List<GpuType> types = new ArrayList<>();
        for (String id : s.list(GPUS)) {
            types.add(gpus.find(id).orElseThrow(() -> s.invalid(GPUS, "names GPU '" + id + "', which the GPU "
                    + "catalog does not have (it has " + gpus.ids() + ")")));
        }
        if (types.isEmpty()) {
            throw s.invalid(GPUS, "is empty: a server has at least one GPU");
        }
        double storage = s.decimal(STORAGE_GBPS, 0.001, 1000);
        String runtime = s.string(RUNTIME);
        if (!runtime.equals("emulated") && !runtime.equals("http")) {
            throw s.invalid(RUNTIME, "is neither emulated nor http");
        }
        double speedup = s.decimal(CITY_SPEEDUP, 0.001, 10_000.0);
        Optional<Instant> cityStart = s.optionalInstant(CITY_START);
        Map<String, String> probes = pairs(s, PROBES);
        probes.forEach((id, target) -> {
            int colon = target.lastIndexOf(':');
            if (colon <= 0 || !target.substring(colon + 1).matches("\\d{1,5}")) {
                throw s.invalid(PROBES, "has target '" + target + "' for " + id + ": use host:port");
            }
        });
        Map<String, EmulatedLink> links = new LinkedHashMap<>();
        pairs(s, EMULATED_LINKS).forEach((id, v) -> {
            String[] parts = v.split("/");
            try {
                if (parts.length != 3) {
                    throw new NumberFormatException();
                }
                EmulatedLink l = new EmulatedLink(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                        Double.parseDouble(parts[2]));
                if (!(l.rttMillis() >= 0) || !(l.uplinkMbps() > 0) || !(l.downlinkMbps() > 0)) {
                    throw new NumberFormatException();
                }
                links.put(id, l);
            } catch (NumberFormatException e) {
                throw s.invalid(EMULATED_LINKS, "has '" + v + "' for " + id + ": use rttMs/uplinkMbps/downlinkMbps, "
                        + "RTT >= 0 and rates > 0");
            }
        });
        HttpRuntimeSettings http = new HttpRuntimeSettings(s.string(HTTP_HOST), s.integer(HTTP_BASE_PORT, 1, 65_000),
                s.positiveDuration(HTTP_REQUEST_TIMEOUT), s.positiveDuration(HTTP_READY_TIMEOUT),
                launcher(s), s.string(HTTP_COMMAND), s.string(HTTP_DOCKER_IMAGE),
                s.integer(HTTP_CONTAINER_PORT, 1, 65_535), Path.of(s.string(HTTP_LOG_DIR)), pairs(s, HTTP_MODEL_URLS),
                pairs(s, HTTP_MODEL_NAMES));
        if (http.launcher().equals("process") && http.command().isEmpty()) {
            throw s.invalid(HTTP_COMMAND, "is empty: the process launcher needs a command such as "
                    + "vllm serve {model} --port {port}");
        }
        EdgeServer server = new EdgeServer(nodeId, site, types, storage * 1e9);
        return new ConnectorConfig(bootstrap, server, runtime, speedup, cityStart, s.positiveDuration(HEARTBEAT),
                s.integer(QUEUE_BOUND, 1, 1_000_000), s.integer(MAX_IN_FLIGHT, 1, 10_000_000),
                s.positiveDuration(KEEP_ALIVE), s.positiveDuration(REPLAN_INTERVAL), probes, links, s.positiveDuration(PROBE_INTERVAL),
                s.integer(HTTP_PORT, 0, 65_535), (short) s.integer(TOPIC_REPLICATION, 1, Short.MAX_VALUE),
                s.positiveDuration(SHUTDOWN_TIMEOUT), http, AgentsConfig.from(s), KafkaClientSettings.from(s));
    }

    /** This configuration with other Kafka client properties: a lab binds every component to the same ones. */
    public ConnectorConfig withKafka(KafkaClientSettings kafka) {
        return new ConnectorConfig(bootstrap, server, runtime, citySpeedup, cityStart, heartbeat, queueBound,
                maxInFlight, keepAlive, replanInterval, probes, emulatedLinks, probeInterval, httpPort, topicReplication,
                shutdownTimeout, http, agents, kafka);
    }

    /** The city clock these settings describe, started now unless {@link #cityStart} names the start. */
    public CityClock cityClock() {
        return CityClock.system(cityStart.orElseGet(Instant::now), citySpeedup);
    }

    public String nodeId() {
        return server.id();
    }

    /** Every key with its environment variable, default and meaning, for {@code --help}. */
    public static String describeKeys() {
        return SettingKey.describe(allKeys(), ENV_PREFIX) + "\nAny kafka.<name> (EDGEWEAVE_KAFKA_<NAME>) passes <name> "
                + "to its Kafka clients (producer, consumers, admin).\n" + KafkaClientSettings.USAGE;
    }

    private static String launcher(Settings s) {
        String l = s.string(HTTP_LAUNCHER);
        if (!l.equals("none") && !l.equals("process") && !l.equals("docker")) {
            throw s.invalid(HTTP_LAUNCHER, "is not none, process or docker");
        }
        return l;
    }

    private static Map<String, String> pairs(Settings s, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : s.list(key)) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw s.invalid(key, "has item '" + item + "': use id=value");
            }
            String id = item.substring(0, eq).strip();
            if (out.put(id, item.substring(eq + 1).strip()) != null) {
                throw s.invalid(key, "names '" + id + "' twice");
            }
        }
        return out;
    }
}
