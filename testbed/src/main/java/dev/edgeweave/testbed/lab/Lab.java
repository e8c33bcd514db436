package dev.edgeweave.testbed.lab;

import dev.edgeweave.config.Settings;
import dev.edgeweave.connector.ConnectorConfig;
import dev.edgeweave.connector.NodeConnector;
import dev.edgeweave.connector.runtime.Runtimes;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.planner.CityEvent;
import dev.edgeweave.planner.KafkaIO;
import dev.edgeweave.planner.PlannerJob;
import dev.edgeweave.planner.PlannerMain;
import dev.edgeweave.planner.PlannerSettings;
import dev.edgeweave.scheduler.CityState;
import dev.edgeweave.scheduler.SchedulerApp;
import dev.edgeweave.scheduler.SchedulerConfig;
import dev.edgeweave.scheduler.SchedulerCounters;
import dev.edgeweave.scheduler.SchedulerTopology;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.Workload;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import dev.edgeweave.testbed.workload.WorkloadOptions;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.PromptSizes;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole pipeline on one machine against one Kafka broker (DESIGN.md, "The pipeline"): the scheduler
 * (Kafka Streams), the planner (Flink on an embedded MiniCluster), one connector per server of the scenario
 * with emulated GPUs, all on one city clock at the given speed-up; the scenario's workload replayed as
 * {@code Prompt} records at its own pace for {@code duration × speedup} city seconds, then drained. Measured
 * from the topics: each prompt's terminal record, its latency (the terminal record's receive time minus the
 * prompt's produce time, both on the city clock), and the invariant (every accepted prompt ends exactly once).
 */
public final class Lab {

    /** What to run. */
    public record Options(String scenario, int durationSeconds, double speedup, long seed, double load,
                          Duration drainTimeout) {
        public Options {
            if (durationSeconds < 1) {
                throw new IllegalArgumentException("--duration must be >= 1 s, was " + durationSeconds);
            }
            if (!(speedup >= 1 && speedup <= 100)) {
                throw new IllegalArgumentException("--speedup must be in [1, 100], was " + speedup);
            }
            if (!(load > 0)) {
                throw new IllegalArgumentException("--load must be > 0, was " + load);
            }
        }
    }

    /** What the lab measured. */
    public record Result(long produced, long completed, long rejected, long lost, double meanLatencySeconds,
                         double p50LatencySeconds, double p95LatencySeconds, double p99LatencySeconds,
                         double sloAttainment, double normalizedJainSlowdown, double schedulingOverheadP99Ms,
                         Map<String, Integer> rejectedBy, Map<String, double[]> perClass) {
    }

    private final PrintStream log;

    public Lab(PrintStream log) {
        this.log = log;
    }

    /** Runs the lab against the broker at {@code bootstrap} and returns what it measured. */
    public Result run(Options o, String bootstrap) throws Exception {
        Scenario sc = new ScenarioLoader().load(o.scenario());
        WorkloadGenerator generator = WorkloadGenerator.forScenario(sc);
        Evaluation evaluation = new Evaluation(sc, generator);
        Workload w = generator.generate(WorkloadOptions.of(o.seed(), evaluation.referenceRate() * o.load()));
        List<EdgeServer> servers = evaluation.setup().servers();
        double citySpan = o.durationSeconds() * o.speedup();
        int n = 0;
        while (n < w.size() && w.timeSeconds(n) < citySpan) {
            n++;
        }
        say("%s: %d servers; %d prompts in the first %.0f city seconds (%d wall s at speed-up %.0f)", sc.name(),
                servers.size(), n, citySpan, o.durationSeconds(), o.speedup());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(Topics.ALL);
        }
        String run = "lab-" + UUID.randomUUID().toString().substring(0, 8);
        CityClock clock = CityClock.system(Instant.now(), o.speedup());
        Path state = Files.createTempDirectory("edgeweave-lab-");
        KafkaStreams scheduler = null;
        JobClient planner = null;
        List<NodeConnector> connectors = new ArrayList<>();
        try {
            scheduler = scheduler(bootstrap, run, clock, state, servers);
            for (EdgeServer s : servers) {
                NodeConnector c = new NodeConnector(connectorConfig(bootstrap, s, clock), sc.models(), Runtimes::emulated);
                connectors.add(c); // closed in the finally even if it fails half-started
                c.start();
            }
            planner = planner(bootstrap, run);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
                 KafkaConsumer<String, byte[]> ends = consumer(bootstrap, List.of(Topics.PROMPT_COMPLETIONS.name(),
                         Topics.PROMPT_REJECTIONS.name(), Topics.PROMPTS_DLQ.name()))) {
                warmStart(producer, evaluation, servers, clock, run);
                awaitReady(bootstrap, evaluation, servers, Duration.ofSeconds(120));
                return replay(producer, ends, w, n, sc, clock, o, run, bootstrap);
            }
        } finally {
            if (planner != null) {
                try {
                    planner.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    say("stopping the planner: %s", e);
                }
            }
            for (NodeConnector c : connectors) {
                c.close();
            }
            if (scheduler != null) {
                scheduler.close(Duration.ofSeconds(30));
            }
            try (java.util.stream.Stream<Path> files = Files.walk(state)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The static placement loaded first, as the testbed's runs start: one LOAD command per deployment. */
    private void warmStart(KafkaProducer<byte[], byte[]> producer, Evaluation evaluation, List<EdgeServer> servers,
                           CityClock clock, String run) throws Exception {
        AvroCodec<DeploymentCommand> codec = AvroCodec.of(DeploymentCommand.class);
        int commands = 0;
        for (EdgeServer s : servers) {
            for (Deployment d : evaluation.setup().staticPlacement().deploymentsOf(s.id())) {
                DeploymentCommand c = DeploymentCommand.newBuilder().setCommandId(run + "/" + s.id() + "/" + d.modelId())
                        .setPlanId(run + "-static").setNodeId(s.id()).setAction(DeploymentAction.LOAD)
                        .setModelId(d.modelId()).setGpuIndex(d.gpuIndex()).setConcurrency(d.concurrency())
                        .setIssuedAt(clock.instant()).build();
                producer.send(new ProducerRecord<>(Topics.DEPLOYMENT_COMMANDS.name(), null, clock.millis(),
                        s.id().getBytes(StandardCharsets.UTF_8), codec.encode(c))).get(30, TimeUnit.SECONDS);
                commands++;
            }
        }
        say("warm start: %d LOAD commands of the static placement", commands);
    }

    /** Waits until every server reports its static deployments READY. */
    private void awaitReady(String bootstrap, Evaluation evaluation, List<EdgeServer> servers, Duration timeout) {
        Map<String, Set<String>> wanted = new HashMap<>();
        for (EdgeServer s : servers) {
            Set<String> models = new HashSet<>();
            evaluation.setup().staticPlacement().deploymentsOf(s.id()).forEach(d -> models.add(d.modelId()));
            wanted.put(s.id(), models);
        }
        AvroCodec<NodeState> codec = AvroCodec.of(NodeState.class);
        Set<String> ready = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> states = consumer(bootstrap, List.of(Topics.NODE_STATE.name()))) {
            while (ready.size() < servers.size()) {
                for (ConsumerRecord<String, byte[]> r : states.poll(Duration.ofMillis(200))) {
                    NodeState s = codec.decode(r.value());
                    Set<String> held = new HashSet<>();
                    s.getDeployments().stream().filter(d -> d.getStatus() == dev.edgeweave.v1.DeploymentStatus.READY)
                            .forEach(d -> held.add(d.getModelId()));
                    if (wanted.containsKey(s.getNodeId()) && held.containsAll(wanted.get(s.getNodeId()))) {
                        ready.add(s.getNodeId());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("servers not ready after " + timeout + ": only " + ready);
                }
            }
        }
        say("every server holds its static placement");
    }

    private Result replay(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<String, byte[]> ends, Workload w, int n,
                          Scenario sc, CityClock clock, Options o, String run, String bootstrap) throws Exception {
        AvroCodec<Prompt> prompts = AvroCodec.of(Prompt.class);
        AvroCodec<PromptRejection> rejections = AvroCodec.of(PromptRejection.class);
        Map<String, Long> producedAt = new HashMap<>();
        Map<String, Integer> terminals = new HashMap<>();
        List<Double> latencies = new ArrayList<>();
        Map<String, Integer> rejectedBy = new HashMap<>();
        Map<String, Double> latencyOf = new HashMap<>();
        Set<String> completedIds = new HashSet<>();
        long[] counts = new long[2];
        Instant start = clock.instant();
        long nextReport = System.nanoTime();
        int next = 0;
        long drainUntil = Long.MAX_VALUE;
        while (true) {
            double cityNow = Duration.between(start, clock.instant()).toMillis() / 1000.0;
            while (next < n && w.timeSeconds(next) <= cityNow) {
                String id = run + "-" + next;
                Instant at = clock.instant();
                Prompt p = prompt(w, next, id, at);
                producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), null, at.toEpochMilli(),
                        id.getBytes(StandardCharsets.UTF_8), prompts.encode(p)));
                producedAt.put(id, at.toEpochMilli());
                next++;
            }
            for (ConsumerRecord<String, byte[]> r : ends.poll(Duration.ofMillis(20))) {
                if (!producedAt.containsKey(r.key())) {
                    continue;
                }
                terminals.merge(r.key(), 1, Integer::sum);
                double latency = (clock.millis() - producedAt.get(r.key())) / 1000.0;
                if (r.topic().equals(Topics.PROMPT_COMPLETIONS.name())) {
                    latencies.add(latency);
                    latencyOf.put(r.key(), latency);
                    completedIds.add(r.key());
                    counts[0]++;
                } else if (r.topic().equals(Topics.PROMPT_REJECTIONS.name())) {
                    PromptRejection j = rejections.decode(r.value());
                    rejectedBy.merge(j.getReason().name(), 1, Integer::sum);
                    latencies.add(j.getSloSeconds());
                    latencyOf.put(r.key(), j.getSloSeconds());
                    counts[1]++;
                }
            }
            if (System.nanoTime() > nextReport) {
                say("%5.0f city s: produced %d/%d, completed %d, rejected %d, mean latency %.2f s", cityNow, next, n,
                        counts[0], counts[1], latencies.stream().mapToDouble(Double::doubleValue).average().orElse(0));
                nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            }
            if (next == n && drainUntil == Long.MAX_VALUE) {
                producer.flush();
                drainUntil = System.nanoTime() + o.drainTimeout().toNanos();
            }
            if (next == n && (terminals.size() == n || System.nanoTime() > drainUntil)) {
                break;
            }
        }
        long lost = producedAt.keySet().stream().filter(id -> terminals.getOrDefault(id, 0) != 1).count();
        double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = l.length == 0 ? Double.NaN : java.util.Arrays.stream(l).average().orElse(Double.NaN);
        // Per class: latency sum, slowdown sum (over inference alone on the reference GPU), count.
        Map<String, double[]> perClass = new java.util.TreeMap<>();
        long withinSlo = 0;
        for (Map.Entry<String, Double> e : latencyOf.entrySet()) {
            int i = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('-') + 1));
            double ref = dev.edgeweave.core.latency.LatencyLaws.referenceInferenceSeconds(w.model(i), w.size(i));
            double[] c = perClass.computeIfAbsent(w.modelClass(i).name(), k -> new double[3]);
            c[0] += e.getValue();
            c[1] += ref > 0 ? e.getValue() / ref : 1;
            c[2]++;
            if (completedIds.contains(e.getKey()) && e.getValue() <= w.sloSeconds(i)) {
                withinSlo++;
            }
        }
        double[] slowdowns = perClass.values().stream().mapToDouble(c -> c[1] / c[2]).toArray();
        double jain = slowdowns.length == 0 ? Double.NaN : dev.edgeweave.core.fairness.Fairness.normalizedJain(slowdowns);
        double overhead = schedulingOverheadP99Ms(bootstrap, producedAt, o.speedup());
        Result r = new Result(n, counts[0], counts[1], lost, mean, quantile(l, 50), quantile(l, 95),
                quantile(l, 99), latencyOf.isEmpty() ? Double.NaN : (double) withinSlo / latencyOf.size(), jain,
                overhead, rejectedBy, perClass);
        say("done: produced %d, completed %d, rejected %d %s, lost %d; mean latency %.2f s, p95 %.2f s; Normalized "
                + "Jain %.3f; scheduling overhead p99 %.1f ms", n, counts[0], counts[1], rejectedBy, lost, mean,
                r.p95LatencySeconds(), jain, overhead);
        return r;
    }

    /** The report's percentile ({@code Summaries.percentile}); NaN of nothing. */
    private static double quantile(double[] sorted, double percent) {
        return sorted.length == 0 ? Double.NaN : dev.edgeweave.testbed.report.Summaries.percentile(sorted, percent);
    }

    /**
     * Wall milliseconds from a prompt's produce timestamp to its first attempt's arrival on a server's topic (the
     * scheduler's exactly-once write, stamped on the city clock), 99th percentile.
     */
    private double schedulingOverheadP99Ms(String bootstrap, Map<String, Long> producedAt, double speedup)
            throws Exception {
        List<String> nodeTopics = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (Topics.nodeIdOf(t).isPresent()) {
                    nodeTopics.add(t);
                }
            }
        }
        List<Double> overhead = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap, nodeTopics)) {
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < quiet && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Long at = producedAt.get(r.key());
                    if (at != null && seen.add(r.key())) {
                        overhead.add((r.timestamp() - at) / speedup);
                        quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    }
                }
            }
        }
        double[] o = overhead.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return quantile(o, 99);
    }

    private static Prompt prompt(Workload w, int i, String id, Instant at) {
        return Prompt.newBuilder().setPromptId(id).setModelId(w.modelId(i)).setUserId("user-" + w.user(i))
                .setAccessPointId(w.accessPointId(i)).setSloSeconds(w.sloSeconds(i)).setCreatedAt(at)
                .setSizes(PromptSizes.newBuilder().setInputTokens(w.inputTokens(i)).setImages(w.images(i))
                        .setImagePixels(w.imagePixels(i)).setAudioSeconds(w.audioSeconds(i))
                        .setOutputTokens(w.outputTokens(i)).setSteps(w.steps(i)).setOutputPixels(w.outputPixels(i))
                        .setInputBytes(w.inputBytes(i)).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain")
                        .setData(ByteBuffer.wrap(("lab prompt " + i).getBytes(StandardCharsets.UTF_8))).build())
                .build();
    }

    private static KafkaStreams scheduler(String bootstrap, String run, CityClock clock, Path state,
                                          List<EdgeServer> servers) {
        Settings s = Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), Map.of(), SchedulerConfig.ENV_PREFIX)
                .withOverrides(Map.of(SchedulerConfig.BOOTSTRAP, bootstrap, SchedulerConfig.APPLICATION_ID, run,
                        SchedulerConfig.CITY_SPEEDUP, Double.toString(clock.speedup()),
                        SchedulerConfig.CITY_START, clock.start().toString(),
                        SchedulerConfig.NODES, String.join(",", servers.stream().map(EdgeServer::id).toList()),
                        // 3 city s is 0.3 wall s at speed-up 10: one exactly-once commit (100 ms wall) and a heartbeat
                        // (100 ms wall) apart. A server is down after 3 missed heartbeats of wall time or 3 s of city time.
                        SchedulerConfig.HEARTBEAT_TIMEOUT, Math.max(3, Math.round(0.3 * clock.speedup() * 3)) + "s",
                        SchedulerConfig.STATE_DIR, state.resolve("streams").toString()));
        SchedulerConfig c = SchedulerConfig.from(s);
        Properties props = SchedulerApp.streamsProperties(s);
        KafkaStreams streams = new KafkaStreams(SchedulerTopology.build(SchedulerTopology.Names.standard(),
                dev.edgeweave.core.model.ModelCatalog.standard(), new CityState(GpuCatalog.standard(), c.nodes()),
                Optional.empty(), c.scheduler(), c.cityClock(), new SchedulerCounters()), props);
        streams.start();
        return streams;
    }

    private static ConnectorConfig connectorConfig(String bootstrap, EdgeServer s, CityClock clock) {
        Map<String, String> o = new HashMap<>();
        o.put(ConnectorConfig.BOOTSTRAP, bootstrap);
        o.put(ConnectorConfig.NODE_ID, s.id());
        o.put(ConnectorConfig.SITE_ID, s.siteId());
        o.put(ConnectorConfig.GPUS, String.join(",", s.gpus().stream().map(g -> g.id()).toList()));
        o.put(ConnectorConfig.STORAGE_GBPS, Double.toString(s.storageBytesPerSecond() / 1e9));
        o.put(ConnectorConfig.CITY_SPEEDUP, Double.toString(clock.speedup()));
        o.put(ConnectorConfig.CITY_START, clock.start().toString());
        o.put(ConnectorConfig.HTTP_PORT, "0");
        return ConnectorConfig.from(Settings.load(ConnectorConfig.DEFAULTS, Optional.empty(), Map.of(),
                ConnectorConfig.ENV_PREFIX).withOverrides(o), GpuCatalog.standard());
    }

    private static JobClient planner(String bootstrap, String run) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        PlannerSettings s = PlannerSettings.DEFAULTS;
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(bootstrap, run + "-planner",
                        PlannerMain.INPUTS.stream().map(t -> t.name()).toList(), OffsetsInitializer.latest(),
                        new Properties()), PlannerJob.watermarks(s), "city events");
        PlannerJob.build(events, KafkaIO.sink(bootstrap, new Properties()), s);
        return env.executeAsync("edgeweave lab planner");
    }

    private static Map<String, Object> producerProps(String bootstrap) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, List<String> topics) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "lab-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        c.subscribe(topics);
        return c;
    }

    private void say(String format, Object... args) {
        log.println("lab: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
