package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.Settings;
import dev.edgeweave.connector.ConnectorConfig;
import dev.edgeweave.connector.NodeConnector;
import dev.edgeweave.connector.runtime.EmulatedRuntime;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restart of the planner from a checkpoint taken while a plan change is in progress, with real connectors
 * (emulated GPUs) carrying the commands out, live on a city clock 10 times the wall clock. Two empty servers,
 * demand for a chat model: the planner plans loads and sends commands; once the first command is out and a
 * checkpoint has completed after it, the job is cancelled and started again from that checkpoint, and the
 * demand goes on. At least once, so the restored job may send a command again: every command must reach its
 * server, and each server must carry out each command id once, however often the topic holds it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PlannerRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(PlannerRestartIT.class);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(clusterConfiguration()).build());

    /** Every checkpoint kept: the test restores from one taken a moment before the newest (a cluster setting). */
    private static Configuration clusterConfiguration() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1000);
        return c;
    }

    static final double SPEEDUP = 10;
    static final PlannerSettings SETTINGS = new PlannerSettings(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), 1);

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aRestartFromACheckpointDuringAPlanChangeCarriesEveryCommandOutOnce(KafkaBroker broker) throws Exception {
        Path checkpoints = Files.createTempDirectory("planner-checkpoints");
        try (Admin admin = Admin.create(broker.adminProps())) {
            List<dev.edgeweave.schemas.topic.Topic<?, ?>> all = new ArrayList<>(PlannerMain.INPUTS);
            all.addAll(PlannerMain.OUTPUTS);
            all.add(Topics.DEPLOYMENT_COMMANDS);
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(all);
        }
        CityClock clock = CityClock.system(Instant.now(), SPEEDUP);
        List<String> nodes = List.of(broker.uniqueName("edge-r1"), broker.uniqueName("edge-r2"));
        List<NodeConnector> connectors = new ArrayList<>();
        for (String node : nodes) {
            NodeConnector c = new NodeConnector(connectorConfig(broker, node, clock), ModelCatalog.standard(),
                    (cfg, n, l) -> new EmulatedRuntime(cfg.server(), n, l));
            c.start();
            connectors.add(c);
        }
        Demand demand = new Demand(broker, clock);
        JobClient first = run(broker, checkpoints, null);
        JobClient second = null;
        try (CityRecords.Reader reader = new CityRecords.Reader(broker,
                List.of(Topics.DEPLOYMENT_COMMANDS.name(), Topics.DEPLOYMENT_PLANS.name()))) {
            // A checkpoint completed shortly before the first command was seen: taken while the plan was being
            // made and sent, so the restored job most likely plans and sends that change again (same ids).
            Path dir = checkpoints.resolve(first.getJobID().toString());
            java.util.TreeMap<Long, Path> seen = new java.util.TreeMap<>();
            reader.until("a first command to one of the servers", Duration.ofSeconds(60), () -> {
                try {
                    latest(dir).ifPresent(p -> {
                        if (!seen.containsValue(p)) {
                            seen.put(System.nanoTime(), p);
                        }
                    });
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return !commands(reader, nodes).isEmpty() && !seen.isEmpty();
            });
            long firstCommandSeen = System.nanoTime();
            int before = commands(reader, nodes).size();
            Map.Entry<Long, Path> pick = seen.floorEntry(firstCommandSeen - TimeUnit.MILLISECONDS.toNanos(700));
            Path restore = (pick != null ? pick : seen.firstEntry()).getValue();
            first.cancel().get(30, TimeUnit.SECONDS);
            LOG.info("cancelled the planner after {} command(s); restarting from {}", before, restore);
            int plansBefore = reader.all(Topics.DEPLOYMENT_PLANS.name()).size();

            second = run(broker, checkpoints, restore);
            // The change goes on: wait until both servers hold what the plans asked, and every command sent for
            // them has been taken by its connector.
            reader.until("the restored job planning, and every command carried out by its server",
                    Duration.ofSeconds(90), PlannerJobIT.alive(second, () -> {
                List<DeploymentCommand> cs = commands(reader, nodes);
                if (reader.all(Topics.DEPLOYMENT_PLANS.name()).size() < plansBefore + 2) {
                    return false;
                }
                for (int i = 0; i < nodes.size(); i++) {
                    String node = nodes.get(i);
                    long distinct = cs.stream().filter(c -> c.getNodeId().equals(node))
                            .map(DeploymentCommand::getCommandId).distinct().count();
                    if (handled(connectors.get(i)) < distinct) {
                        return false;
                    }
                }
                return true;
            }));
            List<DeploymentCommand> cs = commands(reader, nodes);
            Set<String> ids = new HashSet<>();
            int repeats = 0;
            for (DeploymentCommand c : cs) {
                if (!ids.add(c.getCommandId())) {
                    repeats++;
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                String node = nodes.get(i);
                long distinct = cs.stream().filter(c -> c.getNodeId().equals(node)).map(DeploymentCommand::getCommandId)
                        .distinct().count();
                long delivered = cs.stream().filter(c -> c.getNodeId().equals(node)).count();
                assertEquals(distinct, handled(connectors.get(i)), node + ": each command id carried out once");
                assertEquals(delivered - distinct, commandsCounted(connectors.get(i), "replayed"),
                        node + ": every repeat of an id recognised and ignored");
            }
            assertTrue(ids.size() >= 1, "at least one command");
            assertTrue(cs.size() >= before, "the commands sent before the restart are still there");
            LOG.info("{} commands on the topic, {} distinct ids, {} repeated by the restart, each carried out once",
                    cs.size(), ids.size(), repeats);
        } finally {
            demand.close();
            if (second != null) {
                cancelQuietly(second);
            }
            for (NodeConnector c : connectors) {
                c.close();
            }
            deleteRecursively(checkpoints);
        }
    }

    /** Cancels a job that may have stopped already (a failure is reported by the test's own assertions). */
    private static void cancelQuietly(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.info("cancelling {}: {}", job.getJobID(), e.toString());
        }
    }

    /** Commands the connector carried out: applied plus refused (a replayed id is counted apart, and ignored). */
    private static long handled(NodeConnector c) {
        return commandsCounted(c, "applied") + commandsCounted(c, "refused");
    }

    private static long commandsCounted(NodeConnector c, String verdict) {
        for (String line : c.metrics().scrape().split("\n")) {
            if (line.startsWith("connector_commands_total{verdict=\"" + verdict + "\"}")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static List<DeploymentCommand> commands(CityRecords.Reader reader, List<String> nodes) {
        List<DeploymentCommand> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : reader.all(Topics.DEPLOYMENT_COMMANDS.name())) {
            if (nodes.contains(r.key())) {
                out.add(AvroCodec.of(DeploymentCommand.class).decode(r.value()));
            }
        }
        return out;
    }

    private static ConnectorConfig connectorConfig(KafkaBroker broker, String node, CityClock clock) {
        Settings s = Settings.load(ConnectorConfig.DEFAULTS, Optional.empty(), Map.of(), ConnectorConfig.ENV_PREFIX)
                .withOverrides(Map.of(ConnectorConfig.BOOTSTRAP, broker.bootstrapServers(), ConnectorConfig.NODE_ID, node,
                        ConnectorConfig.GPUS, "a100-40gb", ConnectorConfig.CITY_SPEEDUP, Double.toString(SPEEDUP),
                        ConnectorConfig.CITY_START, clock.start().toString(), ConnectorConfig.HTTP_PORT, "0"));
        return ConnectorConfig.from(s, GpuCatalog.standard());
    }

    /** The job on the standard topics with checkpoints every 300 ms kept on cancellation; from {@code restore} if given. */
    private static JobClient run(KafkaBroker broker, Path checkpoints, Path restore) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restore != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(broker.bootstrapServers(), "planner-restart-it",
                        PlannerMain.INPUTS.stream().map(t -> t.name()).toList(), OffsetsInitializer.earliest(),
                        new Properties()), PlannerJob.watermarks(SETTINGS), "city events").uid("city-events");
        PlannerJob.build(events, KafkaIO.sink(broker.bootstrapServers(), new Properties()), SETTINGS);
        return env.executeAsync("planner-restart-it");
    }

    private static Optional<Path> latest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata"))).max(Comparator.comparingInt(p -> number(p)));
        }
    }

    private static int number(Path chk) {
        return Integer.parseInt(chk.getFileName().toString().substring(4));
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Chat prompts on {@code prompts}, 5 per city second, stamped on the city clock: the demand the planner plans for. */
    private static final class Demand implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;

        Demand(KafkaBroker broker, CityClock clock) {
            thread = new Thread(() -> {
                Map<String, Integer> sent = new HashMap<>();
                try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(broker.producerProps())) {
                    int i = 0;
                    while (!stop) {
                        Instant t = clock.instant();
                        Prompt prompt = CityRecords.prompt("d" + i++, "llama-3.1-8b-instruct", t, 200, 0);
                        CityRecords.send(p, Topics.PROMPTS.name(), prompt.getPromptId(), prompt, t);
                        sent.merge("prompts", 1, Integer::sum);
                        Thread.sleep(20);
                    }
                    CityRecords.checkSent(p);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demand");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5_000);
        }
    }
}
