package dev.edgeweave.testbed.lab;

import dev.edgeweave.config.Settings;
import dev.edgeweave.connector.ConnectorConfig;
import dev.edgeweave.connector.NodeConnector;
import dev.edgeweave.connector.runtime.Runtimes;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelClass;
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
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.engine.Policies;
import dev.edgeweave.testbed.engine.RunResult;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.report.Summaries;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.Workload;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import dev.edgeweave.testbed.workload.WorkloadOptions;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.GuardVerdict;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole pipeline on one machine (DESIGN.md, "The pipeline"): a Kafka broker as its own process (or one
 * the user names), the scheduler (Kafka Streams), the planner (Flink on an embedded MiniCluster), one
 * connector per server of the scenario with emulated GPUs, all on one city clock at the given speed-up; the
 * scenario's workload replayed as {@code Prompt} records at its own pace for {@code duration × speedup} city
 * seconds, then drained. Measured from the topics: each prompt's terminal record, its latency (the terminal
 * record's receive time minus the prompt's produce time, both on the city clock), each attempt's arrival at
 * its server and its answer's way back (the pipeline's hops), and the invariant (every accepted prompt ends
 * exactly once). Afterwards the testbed runs the same span, seed and load with the measured median hops added,
 * for comparison. Every process and thread it started is stopped when it returns or fails.
 */
public final class Lab {

    /** What to run. */
    public record Options(String scenario, int durationSeconds, double speedup, long seed, double load,
                          Optional<Path> trace, List<FailureEvent> failures, Duration commitInterval,
                          int warmupSeconds, Duration drainTimeout) {
        public Options {
            if (warmupSeconds < 0) {
                throw new IllegalArgumentException("--warmup must be >= 0 s, was " + warmupSeconds);
            }
            if (durationSeconds < 1) {
                throw new IllegalArgumentException("--duration must be >= 1 s, was " + durationSeconds);
            }
            if (!(speedup >= 1 && speedup <= 100)) {
                throw new IllegalArgumentException("--speedup must be in [1, 100], was " + speedup);
            }
            if (!(load > 0) || Double.isInfinite(load)) {
                throw new IllegalArgumentException("--load must be a finite number > 0, was " + load);
            }
            if (commitInterval.toMillis() < 1) {
                throw new IllegalArgumentException("--commit-interval must be at least 1 ms, was " + commitInterval);
            }
            failures = List.copyOf(failures);
            for (FailureEvent f : failures) {
                if (f.atSeconds() > durationSeconds * speedup) {
                    throw new IllegalArgumentException("--fail " + f.node() + "@" + f.atSeconds() + ": the lab replays "
                            + durationSeconds * speedup + " city seconds (--duration x --speedup); fail within them");
                }
            }
        }

        /** The city seconds of workload replayed. */
        public double citySpanSeconds() {
            return durationSeconds * speedup;
        }
    }

    /** Where the lab runs: its broker and dashboard. */
    public record Where(Optional<String> bootstrap, OptionalInt dashboardPort, Path repoRoot) {
    }

    /**
     * The pipeline's figures.
     *
     * @param produced                prompts produced
     * @param completed               prompts completed
     * @param rejected                prompts rejected
     * @param deadLettered            prompts of the lab's found on the dead-letter topic (all are valid: 0)
     * @param lost                    accepted prompts without exactly one terminal record
     * @param schedulingOverheadP99Ms wall ms from a prompt's produce timestamp to its first attempt's arrival at a
     *                                server, 99th percentile
     * @param schedulingOverheadP50Ms the same, median
     * @param routingP99Ms            wall ms from a prompt's produce timestamp to the scheduler's routing of its first
     *                                attempt (the record's timestamp on the server's topic, before the commit), p99;
     *                                the rest of the overhead is the commit and the connector's fetch
     * @param dispatchHopSeconds      median city seconds from produce to the first attempt's arrival at a server
     * @param answerHopSeconds        median city seconds from a server's answer to the completion's arrival
     * @param commitIntervalMs        the scheduler's exactly-once commit interval
     * @param rejectedBy              rejections by reason
     * @param unansweredBy            attempts a server handed back or failed, by outcome and reason (each one
     *                                re-routed or ended the prompt)
     */
    public record Pipeline(long produced, long completed, long rejected, long deadLettered, long lost,
                           double schedulingOverheadP99Ms, double schedulingOverheadP50Ms, double routingP99Ms,
                           double dispatchHopSeconds,
                           double answerHopSeconds, long commitIntervalMs, Map<String, Integer> rejectedBy,
                           Map<String, Integer> unansweredBy) {
    }

    /** Peak resident memory of the lab's processes, bytes (-1 where not measured). */
    public record Memory(long labJvmPeakBytes, long brokerPeakBytes) {
        public long totalBytes() {
            return Math.max(0, labJvmPeakBytes) + Math.max(0, brokerPeakBytes);
        }
    }

    /**
     * What the lab measured.
     *
     * @param live         the lab's prompts as a run of the testbed's shape, from measured latencies
     * @param testbed      the testbed's run of the same span, seed and load, with the measured hops added
     * @param classOfModel each model's class, by model index (for {@link Summaries#of})
     */
    public record Result(Options options, String scenarioName, RunResult live, RunResult testbed,
                         List<ModelClass> classOfModel, Pipeline pipeline, Memory memory, double wallSeconds) {
    }

    private final PrintStream log;
    /** Where the dashboard's state comes from; set once the run knows its workload. */
    private volatile LabView view;

    public Lab(PrintStream log) {
        this.log = log;
    }

    /** The dashboard's JSON: the running lab's, or a waiting note before it knows its workload. */
    public String dashboardJson() {
        LabView v = view;
        return v == null ? "{\"phase\": \"starting\", \"progress\": {}}" : v.json();
    }

    /** Runs the lab and returns what it measured. */
    public Result run(Options o, Where where) throws Exception {
        long t0 = System.nanoTime();
        // Everything that can be wrong with the input is found before any process starts.
        Scenario sc = new ScenarioLoader().load(o.scenario());
        WorkloadGenerator generator = WorkloadGenerator.forScenario(sc, o.trace());
        if (generator.trace() != null) {
            say("trace %s: %d rows read, %d malformed rows skipped", generator.trace().file(), generator.trace().rows(),
                    generator.trace().skipped());
        }
        Evaluation evaluation = new Evaluation(sc, generator);
        Workload w = generator.generate(new WorkloadOptions(o.seed(), evaluation.referenceRate(), o.load(),
                java.util.OptionalDouble.empty()));
        List<EdgeServer> servers = evaluation.setup().servers();
        Set<String> ids = new HashSet<>(servers.stream().map(EdgeServer::id).toList());
        for (FailureEvent f : o.failures()) {
            if (!f.node().equals(FailureEvent.BUSIEST) && !ids.contains(f.node())) {
                throw new IllegalArgumentException("--fail " + f.node() + ": no such server in " + sc.name()
                        + "; its servers are " + servers.stream().map(EdgeServer::id).sorted().toList()
                        + " (or use 'busiest')");
            }
        }
        int n = 0;
        while (n < w.size() && w.timeSeconds(n) < o.citySpanSeconds()) {
            n++;
        }
        say("%s: %d servers; %d prompts in the first %.0f city seconds (%d wall s at speed-up %.0f), seed %d, load %.2f",
                sc.name(), servers.size(), n, o.citySpanSeconds(), o.durationSeconds(), o.speedup(), o.seed(), o.load());
        LabView v = new LabView(sc.name(), o.speedup(), n, Math.max(10, Math.ceil(o.citySpanSeconds() / 120)));
        view = v;

        Path state = Files.createTempDirectory("edgeweave-lab-");
        BrokerProcess broker = null;
        LabDashboard dashboard = null;
        KafkaStreams scheduler = null;
        JobClient planner = null;
        Telemetry telemetry = null;
        List<NodeConnector> connectors = new ArrayList<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread onInterrupt = null;
        try {
            if (where.dashboardPort().isPresent()) {
                dashboard = LabDashboard.start("127.0.0.1", where.dashboardPort().getAsInt(), this::dashboardJson);
                say("dashboard on %s", dashboard.url());
            }
            String bootstrap;
            if (where.bootstrap().isPresent()) {
                bootstrap = where.bootstrap().get();
            } else {
                v.phase("starting the broker");
                broker = BrokerProcess.start(where.repoRoot(), state.resolve("broker"), Duration.ofSeconds(90), log);
                BrokerProcess started = broker;
                // Ctrl-C or SIGTERM ends the JVM without the finally below: the broker is a process of its own, stop it too.
                onInterrupt = new Thread(() -> {
                    if (!stopped.get()) {
                        started.close();
                        deleteTree(state);
                    }
                }, "lab-broker-stop");
                Runtime.getRuntime().addShutdownHook(onInterrupt);
                bootstrap = broker.bootstrap();
                say("Kafka broker at %s (pid %d)", bootstrap, broker.pid());
            }
            prepareBroker(bootstrap);
            String run = "lab-" + UUID.randomUUID().toString().substring(0, 8);
            CityClock clock = CityClock.system(Instant.now(), o.speedup());
            v.phase("starting the pipeline");
            scheduler = scheduler(bootstrap, run, clock, state, servers, o.commitInterval());
            for (EdgeServer s : servers) {
                NodeConnector c = new NodeConnector(connectorConfig(bootstrap, s, clock), sc.models(), Runtimes::emulated);
                connectors.add(c); // closed in the finally even if it fails half-started
                c.start();
            }
            planner = planner(bootstrap, run);
            telemetry = new Telemetry(bootstrap, v);
            telemetry.start();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
                 KafkaConsumer<String, byte[]> ends = consumer(bootstrap, List.of(Topics.PROMPT_COMPLETIONS.name(),
                         Topics.PROMPT_REJECTIONS.name(), Topics.PROMPTS_DLQ.name(), Topics.NODE_RESULTS.name()))) {
                v.phase("warming");
                warmStart(producer, evaluation, servers, clock, run);
                awaitReady(bootstrap, evaluation, servers, Duration.ofSeconds(120));
                warmUp(producer, ends, w, n, clock, run, o.warmupSeconds(), Duration.ofSeconds(120));
                Replay replay = new Replay(o, w, n, servers, clock, run, v, connectors, sc, bootstrap);
                replay.run(producer, ends);
                v.phase("comparing with the testbed");
                Pipeline pipeline = replay.pipeline(o.commitInterval().toMillis(), routingMs(bootstrap, replay));
                RunResult live = replay.result(telemetry.decisions.get(), telemetry.refusals.get());
                say("the testbed on the same span, seed and load, with the measured hops (%.3f s to a server, %.3f s "
                        + "back)", pipeline.dispatchHopSeconds(), pipeline.answerHopSeconds());
                // The same servers fail in the testbed: 'busiest' as it was resolved in the lab.
                RunResult testbed = evaluation.runSpan(w, n, Policies.parse(Policies.EDGEWEAVE).get(0), o.seed(),
                        replay.failed, finiteOr0(pipeline.dispatchHopSeconds()), finiteOr0(pipeline.answerHopSeconds()));
                Memory memory = new Memory(ProcessMemory.selfPeakResidentBytes(),
                        broker == null ? -1 : broker.peakResidentBytes());
                v.phase("done");
                List<ModelClass> classes = sc.models().models().stream().map(m -> m.modelClass()).toList();
                return new Result(o, sc.name(), live, testbed, classes, pipeline, memory,
                        (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            v.phase("stopping");
            if (telemetry != null) {
                telemetry.close();
            }
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
            if (broker != null) {
                broker.close();
                stopped.set(true);
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook does nothing now that the broker is stopped
                }
            }
            if (dashboard != null) {
                dashboard.close();
            }
            deleteTree(state);
        }
    }

    private static double finiteOr0(double x) {
        return Double.isFinite(x) ? x : 0;
    }

    /**
     * Lets records stamped on the city clock in: at a speed-up above 1 city time runs ahead of the broker's
     * clock, and Kafka refuses records more than {@code message.timestamp.after.max.ms} (1 h) ahead.
     */
    private void prepareBroker(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            try {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, ""),
                        List.of(new AlterConfigOp(new ConfigEntry("log.message.timestamp.after.max.ms",
                                Long.toString(Duration.ofDays(30).toMillis())), AlterConfigOp.OpType.SET))))
                        .all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                say("could not raise the broker's log.message.timestamp.after.max.ms (%s): a lab ahead of the broker's "
                        + "clock by more than an hour will be refused", e.getMessage());
            }
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(Topics.ALL);
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

    /**
     * Warms the pipeline before the measured replay, nothing of it counted (its ids are not the replay's): first
     * one prompt of each model, each waited for to its terminal record (a fresh broker creates its
     * transaction-state and offsets topics on first use, and the first transactions and fetches of every client
     * pay for it); then the workload's own first {@code seconds × speed-up} city seconds at their pace, drained
     * (the JIT compiles the hot paths of every component, two cores shared by all of them, in the first ten or so
     * seconds of traffic).
     */
    private void warmUp(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<String, byte[]> ends, Workload w,
                        int n, CityClock clock, String run, int seconds, Duration timeout) {
        AvroCodec<Prompt> prompts = AvroCodec.of(Prompt.class);
        Set<String> waiting = new HashSet<>();
        Set<Integer> models = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (models.add(w.modelIndex(i))) {
                waiting.add(send(producer, prompts, w, i, run + "-warm-model-" + w.modelIndex(i), clock));
            }
        }
        long t0 = System.nanoTime();
        awaitEnds(ends, waiting, timeout, "warm-up prompts");
        int sent = models.size();
        if (seconds > 0) {
            Instant start = clock.instant();
            double span = seconds * clock.speedup();
            for (int i = 0; i < n && w.timeSeconds(i) < span; ) {
                double cityNow = Duration.between(start, clock.instant()).toMillis() / 1000.0;
                while (i < n && w.timeSeconds(i) < span && w.timeSeconds(i) <= cityNow) {
                    waiting.add(send(producer, prompts, w, i, run + "-warm-" + i, clock));
                    i++;
                    sent++;
                }
                drain(ends, waiting, Duration.ofMillis(20));
            }
            awaitEnds(ends, waiting, timeout, "warm-up prompts");
        }
        say("warm-up: %d prompts through the pipeline in %.1f s (not counted)", sent, (System.nanoTime() - t0) / 1e9);
    }

    private static String send(KafkaProducer<byte[], byte[]> producer, AvroCodec<Prompt> prompts, Workload w, int i,
                               String id, CityClock clock) {
        Instant at = clock.instant();
        producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), null, at.toEpochMilli(),
                id.getBytes(StandardCharsets.UTF_8), prompts.encode(prompt(w, i, id, at))));
        return id;
    }

    /** Polls once, removing the ids that reached a terminal record. */
    private static void drain(KafkaConsumer<String, byte[]> ends, Set<String> waiting, Duration poll) {
        for (ConsumerRecord<String, byte[]> r : ends.poll(poll)) {
            if (!r.topic().equals(Topics.NODE_RESULTS.name())) {
                waiting.remove(r.key());
            }
        }
    }

    private static void awaitEnds(KafkaConsumer<String, byte[]> ends, Set<String> waiting, Duration timeout,
                                  String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            drain(ends, waiting, Duration.ofMillis(50));
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline did not answer its " + what + " within " + timeout + ": "
                        + waiting.size() + " still open");
            }
        }
    }

    /** The replay: produces the workload on time, reads every prompt's end and hops, injects the failures. */
    private final class Replay {
        private final Options o;
        private final Workload w;
        private final int n;
        private final List<EdgeServer> servers;
        private final CityClock clock;
        private final String run;
        private final LabView v;
        private final List<NodeConnector> connectors;
        private final Scenario sc;
        private final String bootstrap;
        private final Map<String, Integer> serverIndex = new HashMap<>();

        private final long[] producedAt;
        private final boolean[] isCompleted;
        private final double[] latency;
        private final int[] server;
        private final byte[] attempts;
        private final byte[] terminals;
        private final boolean[] deadLettered;
        private final double[] dispatchHop;
        private final double[] answerHop;
        /** City ms a completion was read, for an answer hop whose result is read after it. */
        private final long[] completionReadAt;
        private final long[] resultFinishedAt;
        private final Map<String, Integer> rejectedBy = new HashMap<>();
        private final Map<String, Integer> unansweredBy = new HashMap<>();
        /** The failures as injected: {@code busiest} resolved to the server it was then. */
        private final List<FailureEvent> failed = new ArrayList<>();
        private long completed;
        private long rejected;
        private long deadLetters;
        private double lastTerminal;

        Replay(Options o, Workload w, int n, List<EdgeServer> servers, CityClock clock, String run, LabView v,
               List<NodeConnector> connectors, Scenario sc, String bootstrap) {
            this.o = o;
            this.w = w;
            this.n = n;
            this.servers = servers;
            this.clock = clock;
            this.run = run;
            this.v = v;
            this.connectors = connectors;
            this.sc = sc;
            this.bootstrap = bootstrap;
            for (int s = 0; s < servers.size(); s++) {
                serverIndex.put(servers.get(s).id(), s);
            }
            producedAt = new long[n];
            isCompleted = new boolean[n];
            latency = new double[n];
            server = new int[n];
            Arrays.fill(server, -1);
            attempts = new byte[n];
            terminals = new byte[n];
            deadLettered = new boolean[n];
            dispatchHop = new double[n];
            Arrays.fill(dispatchHop, Double.NaN);
            answerHop = new double[n];
            Arrays.fill(answerHop, Double.NaN);
            completionReadAt = new long[n];
            resultFinishedAt = new long[n];
        }

        /** The prompt index of a record key of this run, or -1. */
        private int indexOf(String key) {
            if (key == null || !key.startsWith(run + "-")) {
                return -1;
            }
            try {
                int i = Integer.parseInt(key.substring(run.length() + 1));
                return i >= 0 && i < n && producedAt[i] != 0 ? i : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        void run(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<String, byte[]> ends) throws Exception {
            AvroCodec<Prompt> prompts = AvroCodec.of(Prompt.class);
            AvroCodec<PromptRejection> rejections = AvroCodec.of(PromptRejection.class);
            AvroCodec<PromptCompletion> completions = AvroCodec.of(PromptCompletion.class);
            AvroCodec<AttemptResult> results = AvroCodec.of(AttemptResult.class);
            List<FailureEvent> failures = new ArrayList<>(o.failures());
            failures.sort(Comparator.comparingDouble(FailureEvent::atSeconds));
            List<double[]> restarts = new ArrayList<>(); // {city second, connector index}
            Instant start = clock.instant();
            v.cityStart(start.toEpochMilli());
            v.phase("replaying");
            long nextReport = System.nanoTime();
            long replayStart = nextReport;
            int next = 0;
            int ended = 0;
            long drainUntil = Long.MAX_VALUE;
            while (true) {
                double cityNow = Duration.between(start, clock.instant()).toMillis() / 1000.0;
                while (next < n && w.timeSeconds(next) <= cityNow) {
                    String id = run + "-" + next;
                    Instant at = clock.instant();
                    producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), null, at.toEpochMilli(),
                            id.getBytes(StandardCharsets.UTF_8), prompts.encode(prompt(w, next, id, at))));
                    producedAt[next] = at.toEpochMilli();
                    next++;
                }
                while (!failures.isEmpty() && failures.get(0).atSeconds() <= cityNow) {
                    FailureEvent f = failures.remove(0);
                    int k = victim(f);
                    failed.add(new FailureEvent(servers.get(k).id(), f.atSeconds(), f.downForSeconds()));
                    say("%.0f city s: killing the connector of %s (%d prompts in flight)", cityNow, servers.get(k).id(),
                            connectors.get(k).inFlight());
                    connectors.get(k).kill();
                    if (Double.isFinite(f.downForSeconds())) {
                        restarts.add(new double[] {f.atSeconds() + f.downForSeconds(), k});
                    }
                }
                for (java.util.Iterator<double[]> it = restarts.iterator(); it.hasNext(); ) {
                    double[] r = it.next();
                    if (r[0] <= cityNow) {
                        it.remove();
                        int k = (int) r[1];
                        EdgeServer s = servers.get(k);
                        NodeConnector c = new NodeConnector(connectorConfig(bootstrap, s, clock), sc.models(),
                                Runtimes::emulated);
                        connectors.set(k, c);
                        c.start();
                        say("%.0f city s: restarted the connector of %s", cityNow, s.id());
                    }
                }
                long now = clock.millis();
                for (ConsumerRecord<String, byte[]> r : ends.poll(Duration.ofMillis(20))) {
                    int i = indexOf(r.key());
                    if (i < 0) {
                        continue;
                    }
                    String topic = r.topic();
                    if (topic.equals(Topics.NODE_RESULTS.name())) {
                        AttemptResult a = results.decode(r.value());
                        if (a.getAttempt() == 1) {
                            dispatchHop[i] = (a.getStartedAt().toEpochMilli() - producedAt[i]) / 1000.0;
                        }
                        if (a.getOutcome() != AttemptOutcome.COMPLETED) {
                            unansweredBy.merge(a.getOutcome() + " " + a.getReason(), 1, Integer::sum);
                        } else {
                            resultFinishedAt[i] = a.getFinishedAt().toEpochMilli();
                            if (completionReadAt[i] != 0) {
                                answerHop[i] = (completionReadAt[i] - resultFinishedAt[i]) / 1000.0;
                            }
                        }
                        continue;
                    }
                    if (topic.equals(Topics.PROMPTS_DLQ.name())) {
                        deadLettered[i] = true;
                        deadLetters++;
                        v.deadLettered();
                        continue;
                    }
                    if (terminals[i] < Byte.MAX_VALUE) {
                        terminals[i]++;
                    }
                    if (terminals[i] > 1) {
                        continue; // a second terminal record: counted lost below, not measured twice
                    }
                    ended++;
                    double end = (now - start.toEpochMilli()) / 1000.0;
                    lastTerminal = Math.max(lastTerminal, end);
                    double ref = LatencyLaws.referenceInferenceSeconds(w.model(i), w.size(i));
                    if (topic.equals(Topics.PROMPT_COMPLETIONS.name())) {
                        PromptCompletion c = completions.decode(r.value());
                        isCompleted[i] = true;
                        latency[i] = (now - producedAt[i]) / 1000.0;
                        server[i] = serverIndex.getOrDefault(c.getNodeId(), -1);
                        attempts[i] = (byte) Math.min(Byte.MAX_VALUE, c.getAttempts());
                        completionReadAt[i] = now;
                        if (resultFinishedAt[i] != 0) {
                            answerHop[i] = (now - resultFinishedAt[i]) / 1000.0;
                        }
                        completed++;
                    } else {
                        PromptRejection j = rejections.decode(r.value());
                        rejectedBy.merge(j.getReason().name(), 1, Integer::sum);
                        latency[i] = w.sloSeconds(i);
                        rejected++;
                    }
                    v.ended(w.modelClass(i), end, latency[i], latency[i] / ref, isCompleted[i]);
                }
                v.progress(cityNow, next);
                if (System.nanoTime() > nextReport) {
                    say("%4.0f s wall, %5.0f/%.0f city s: produced %d/%d, completed %d, rejected %d, mean latency %s, "
                                    + "Normalized Jain %s", (System.nanoTime() - replayStart) / 1e9,
                            Math.min(cityNow, o.citySpanSeconds()), o.citySpanSeconds(), next, n, completed, rejected,
                            format(v.meanLatencySeconds(), "%.2f s"), format(v.normalizedJain(), "%.3f"));
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
                if (next == n && drainUntil == Long.MAX_VALUE) {
                    producer.flush();
                    v.phase("draining");
                    drainUntil = System.nanoTime() + o.drainTimeout().toNanos();
                }
                if (next == n && (ended + deadLetters >= n || System.nanoTime() > drainUntil)) {
                    break;
                }
            }
            // The last hops: results and completions already written but not yet read.
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < quiet) {
                for (ConsumerRecord<String, byte[]> r : ends.poll(Duration.ofMillis(100))) {
                    int i = indexOf(r.key());
                    if (i >= 0 && r.topic().equals(Topics.NODE_RESULTS.name())) {
                        AttemptResult a = results.decode(r.value());
                        if (a.getAttempt() == 1 && Double.isNaN(dispatchHop[i])) {
                            dispatchHop[i] = (a.getStartedAt().toEpochMilli() - producedAt[i]) / 1000.0;
                        }
                    } else if (i >= 0 && !r.topic().equals(Topics.PROMPTS_DLQ.name()) && terminals[i] < Byte.MAX_VALUE) {
                        terminals[i]++; // a terminal record after the drain: a second one makes the prompt lost
                    }
                }
            }
        }

        /** The failed server: by id, or the one with the most prompts in flight. */
        private int victim(FailureEvent f) {
            if (!f.node().equals(FailureEvent.BUSIEST)) {
                return serverIndex.get(f.node());
            }
            int best = 0;
            for (int k = 1; k < connectors.size(); k++) {
                if (connectors.get(k).inFlight() > connectors.get(best).inFlight()) {
                    best = k;
                }
            }
            return best;
        }

        Pipeline pipeline(long commitIntervalMs, double[] routingMs) {
            long lost = 0;
            for (int i = 0; i < n; i++) {
                if (!deadLettered[i] && terminals[i] != 1) {
                    lost++;
                }
            }
            double[] dispatch = sortedFinite(dispatchHop);
            double[] overheadMs = Arrays.stream(dispatch).map(s -> s * 1000 / o.speedup()).toArray();
            return new Pipeline(n, completed, rejected, deadLetters, lost, quantile(overheadMs, 99),
                    quantile(overheadMs, 50), quantile(routingMs, 99), quantile(dispatch, 50), quantile(sortedFinite(answerHop), 50),
                    commitIntervalMs, Map.copyOf(rejectedBy), Map.copyOf(unansweredBy));
        }

        /** The lab's prompts in the testbed's shape: a prompt with no terminal record counts at its SLO, rejected. */
        RunResult result(long agentDecisions, long guardRefusals) {
            double[] arrival = new double[n];
            int[] model = new int[n];
            int[] user = new int[n];
            int[] accessPoint = new int[n];
            double[] slowdown = new double[n];
            double[] slo = new double[n];
            long rerouted = 0;
            for (int i = 0; i < n; i++) {
                arrival[i] = w.timeSeconds(i);
                model[i] = w.modelIndex(i);
                user[i] = w.user(i);
                accessPoint[i] = w.accessPointIndex(i);
                slo[i] = w.sloSeconds(i);
                if (terminals[i] == 0) {
                    latency[i] = slo[i];
                }
                slowdown[i] = latency[i] / LatencyLaws.referenceInferenceSeconds(w.model(i), w.size(i));
                if (attempts[i] > 1) {
                    rerouted++;
                }
            }
            double event = o.failures().isEmpty() ? Double.NaN : o.failures().get(0).atSeconds();
            return new RunResult(Policies.EDGEWEAVE, o.seed(), arrival, model, user, accessPoint, server, attempts,
                    isCompleted, latency, slowdown, slo, terminals, rerouted, lastTerminal,
                    n == 0 ? 0 : w.timeSeconds(n - 1), event, agentDecisions, guardRefusals);
        }
    }

    /**
     * Wall ms from each prompt's produce timestamp to its first attempt's record on a server's topic (stamped
     * when the scheduler routed it, before its commit), sorted.
     */
    private double[] routingMs(String bootstrap, Replay replay) throws Exception {
        List<String> nodeTopics = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (Topics.nodeIdOf(t).isPresent()) {
                    nodeTopics.add(t);
                }
            }
        }
        double[] ms = new double[replay.n];
        Arrays.fill(ms, Double.NaN);
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap, nodeTopics)) {
            int seen = 0;
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < quiet && seen < replay.n) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    int i = replay.indexOf(r.key());
                    if (i >= 0 && Double.isNaN(ms[i])) {
                        ms[i] = (r.timestamp() - replay.producedAt[i]) / replay.o.speedup();
                        seen++;
                        quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    }
                }
            }
        }
        return sortedFinite(ms);
    }

    private static double[] sortedFinite(double[] x) {
        return Arrays.stream(x).filter(Double::isFinite).sorted().toArray();
    }

    /** The report's percentile ({@code Summaries.percentile}); NaN of nothing. */
    private static double quantile(double[] sorted, double percent) {
        return sorted.length == 0 ? Double.NaN : Summaries.percentile(sorted, percent);
    }

    private static String format(double x, String format) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, format, x) : "-";
    }

    /**
     * Reads the servers' states and the agents' decisions for the dashboard, and counts the decisions (and the
     * guard's refusals) for the summary.
     */
    private static final class Telemetry implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final LabView view;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong decisions = new AtomicLong();
        final AtomicLong refusals = new AtomicLong();

        Telemetry(String bootstrap, LabView view) {
            this.consumer = consumer(bootstrap, List.of(Topics.NODE_STATE.name(), Topics.AGENT_DECISIONS.name()));
            this.view = view;
            this.thread = new Thread(this::loop, "lab-telemetry");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            AvroCodec<NodeState> states = AvroCodec.of(NodeState.class);
            AvroCodec<AgentDecision> agents = AvroCodec.of(AgentDecision.class);
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        try {
                            if (r.topic().equals(Topics.NODE_STATE.name())) {
                                view.nodeState(states.decode(r.value()));
                            } else {
                                AgentDecision d = agents.decode(r.value());
                                decisions.incrementAndGet();
                                if (d.getGuardVerdict() != GuardVerdict.ACCEPTED) {
                                    refusals.incrementAndGet();
                                }
                                view.decision(d);
                            }
                        } catch (RuntimeException e) {
                            // A record this lab cannot read is for the dashboard only: skip it.
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            consumer.wakeup();
            thread.join(10_000);
        }
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
                                          List<EdgeServer> servers, Duration commitInterval) {
        Settings s = Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), Map.of(), SchedulerConfig.ENV_PREFIX)
                .withOverrides(Map.of(SchedulerConfig.BOOTSTRAP, bootstrap, SchedulerConfig.APPLICATION_ID, run,
                        SchedulerConfig.CITY_SPEEDUP, Double.toString(clock.speedup()),
                        SchedulerConfig.CITY_START, clock.start().toString(),
                        SchedulerConfig.NODES, String.join(",", servers.stream().map(EdgeServer::id).toList()),
                        SchedulerConfig.COMMIT_INTERVAL, commitInterval.toMillis() + "ms",
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

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // temp files left behind are not worth failing a run for
        }
    }

    private void say(String format, Object... args) {
        log.println("lab: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
