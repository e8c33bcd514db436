package dev.edgeweave.testbed.lab;

import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.config.KafkaClientSettings;
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
import dev.edgeweave.scheduler.SchedulerSettings;
import dev.edgeweave.scheduler.SchedulerTopology;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.KafkaAccess;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.engine.Policies;
import dev.edgeweave.testbed.engine.RunResult;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.report.Recovery;
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
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
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
                          Optional<Path> trace, List<FailureEvent> failures, List<Fault> chaos,
                          Duration commitInterval, int warmupSeconds, Duration drainTimeout) {
        public Options {
            chaos = List.copyOf(chaos);
            for (Fault f : chaos) {
                if (f.endSeconds() > durationSeconds * speedup) {
                    throw new IllegalArgumentException("--chaos " + f.spec() + ": the lab replays " + durationSeconds
                            * speedup + " city seconds (--duration x --speedup); inject faults within them");
                }
            }
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

        /**
         * Every fault of the run in time order: the chaos plan's, and each {@code --fail NODE@S[+D]} as
         * {@code kill-node:NODE@S} (and {@code restart-node:killed@S+D}).
         */
        public List<Fault> faults() {
            List<Fault> all = new ArrayList<>(chaos);
            for (FailureEvent f : failures) {
                all.add(new Fault(Fault.Kind.KILL_NODE, f.node(), f.atSeconds()));
                if (Double.isFinite(f.downForSeconds())) {
                    all.add(new Fault(Fault.Kind.RESTART_NODE, Fault.KILLED, f.atSeconds() + f.downForSeconds()));
                }
            }
            all.sort(Comparator.comparingDouble(Fault::atSeconds));
            return all;
        }

        /** The city seconds of workload replayed. */
        public double citySpanSeconds() {
            return durationSeconds * speedup;
        }
    }

    /**
     * Where the lab runs: its broker and dashboard. {@code kafka} is the client properties of every component and
     * of the lab's own clients for a broker named by {@code bootstrap} (SCRAM, TLS); a broker the lab starts
     * itself is PLAINTEXT.
     */
    public record Where(Optional<String> bootstrap, OptionalInt dashboardPort, Path repoRoot,
                        KafkaClientSettings kafka) {
        public Where(Optional<String> bootstrap, OptionalInt dashboardPort, Path repoRoot) {
            this(bootstrap, dashboardPort, repoRoot, KafkaClientSettings.plaintext());
        }
    }

    /** The Kafka client properties of this run's components and clients: {@link Where#kafka}, or PLAINTEXT. */
    private volatile KafkaClientSettings kafka = KafkaClientSettings.plaintext();

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
                         List<ModelClass> classOfModel, Pipeline pipeline, Memory memory, double wallSeconds,
                         List<FaultOutcome> faults, Invariants invariants) {
    }

    /**
     * One injected fault and how the pipeline came through it.
     *
     * @param fault           as injected: {@code busiest} and {@code killed} resolved to the server
     * @param atSeconds       city seconds after the replay's start
     * @param recoverySeconds the testbed's recovery time (DESIGN "Evaluation") over the live latencies, NaN when
     *                        the run ends too soon after the fault to tell (the settled level is measured 180 to
     *                        360 city s after it)
     * @param recovered       whether the rolling mean latency settled within the run
     * @param agentFallbacks  agent decisions replaced by the optimizer (a fallback) over the fault's span, or
     *                        from the fault to the next for one at an instant
     * @param servedOverCutLink for a {@code partition-link}: prompts from its access point that arrived while the
     *                        link was cut (from {@link #PARTITION_NOTICE_SECONDS} after the cut) and were served by
     *                        its server anyway (0 when the scheduler kept to the telemetry); -1 for other faults
     * @param testbedRecoverySeconds the same definition at the same city second over the testbed's run of the span
     *                        (the same servers failed; no other fault): for a server's kill what the city's
     *                        capacity allows, for the others what the workload alone reads as a recovery there
     *                        (a planned burst inside the settled window makes it long); NaN as above
     */
    public record FaultOutcome(String fault, double atSeconds, double recoverySeconds, boolean recovered,
                               long agentFallbacks, long servedOverCutLink, double testbedRecoverySeconds) {
    }

    /**
     * City seconds a cut link takes to reach routing: the connector's telemetry record, its commit, and the
     * scheduler's read of it (half a wall second at speed-up 10).
     */
    public static final double PARTITION_NOTICE_SECONDS = 5;

    private final PrintStream log;
    /** Put into every prompt's user id and content; empty unless {@link #planting}. */
    private volatile String marker = "";
    /** Records sent beside the replay, if any ({@code ./edgeweave fuzz}). */
    private SideTraffic side;
    /** Where the dashboard's state comes from; set once the run knows its workload. */
    private volatile LabView view;

    public Lab(PrintStream log) {
        this.log = log;
    }

    /**
     * Puts {@code marker} into every prompt's user id and content, so that a test can look for it wherever prompt
     * content and user ids must never appear: log lines, metrics, agent inputs.
     *
     * @return this lab
     */
    public Lab planting(String marker) {
        this.marker = java.util.Objects.requireNonNull(marker, "marker");
        return this;
    }

    /** Sends {@code traffic} beside the replay of the next run. */
    public Lab withSideTraffic(SideTraffic traffic) {
        this.side = traffic;
        return this;
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
        Set<String> accessPoints = new HashSet<>(sc.city().accessPoints().stream().map(a -> a.id()).toList());
        for (Fault f : o.faults()) {
            if (f.kind() == Fault.Kind.PARTITION_LINK) {
                if (!accessPoints.contains(f.accessPoint()) || !ids.contains(f.linkNode())) {
                    throw new IllegalArgumentException(f.spec() + ": no such link in " + sc.name() + "; its access "
                            + "points are " + new java.util.TreeSet<>(accessPoints) + " and its servers "
                            + servers.stream().map(EdgeServer::id).sorted().toList());
                }
            } else if (f.target() != null && !f.target().equals(Fault.BUSIEST) && !f.target().equals(Fault.KILLED)
                    && !ids.contains(f.target())) {
                throw new IllegalArgumentException(f.spec() + ": no such server in " + sc.name() + "; its servers are "
                        + servers.stream().map(EdgeServer::id).sorted().toList() + " (or 'busiest' to kill, 'killed' "
                        + "to restart)");
            }
            if (f.kind() == Fault.Kind.RESTART_BROKER && where.bootstrap().isPresent()) {
                throw new IllegalArgumentException(f.spec() + ": the lab restarts only a broker it started itself "
                        + "(not one named by --bootstrap)");
            }
        }
        int n = 0;
        while (n < w.size() && w.timeSeconds(n) < o.citySpanSeconds()) {
            n++;
        }
        for (Fault f : o.faults()) {
            if (n == 0 || f.endSeconds() > w.timeSeconds(n - 1)) {
                throw new IllegalArgumentException(f.spec() + ": the workload's last prompt arrives at "
                        + (n == 0 ? 0 : Math.round(w.timeSeconds(n - 1))) + " city s; inject faults before it");
            }
        }
        say("%s: %d servers; %d prompts in the first %.0f city seconds (%d wall s at speed-up %.0f), seed %d, load %.2f%s",
                sc.name(), servers.size(), n, o.citySpanSeconds(), o.durationSeconds(), o.speedup(), o.seed(), o.load(),
                n == w.size() ? String.format(Locale.ROOT, " (the whole workload: its last prompt arrives at %.0f city s)",
                        w.timeSeconds(n - 1)) : "");
        LabView v = new LabView(sc.name(), o.speedup(), n, Math.max(10, Math.ceil(o.citySpanSeconds() / 120)));
        view = v;

        Path state = Files.createTempDirectory("edgeweave-lab-");
        LabDashboard dashboard = null;
        Telemetry telemetry = null;
        Components parts = new Components(o, sc, servers, state);
        if (o.faults().stream().anyMatch(f -> f.kind().isLlm())) {
            // The plan fails the language model: the agents run on their LLM brains against a stand-in the lab
            // starts (the timeout is wall time: a slow answer takes 5 s, the agents wait 1 s).
            parts.llm = ScriptedLlm.start(Duration.ofSeconds(5));
            if (!marker.isEmpty()) {
                parts.llm.watch(marker);
            }
            say("language model: the scripted endpoint at %s; the short-term and long-term agents run on their LLM "
                    + "brains (1 s timeout), the on-node agents on the optimizer", parts.llm.baseUrl());
        }
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
                kafka = where.kafka();
                say("Kafka at %s: %s", bootstrap, kafka.describe());
                KafkaAccess.check(bootstrap, kafka, KafkaAccess.START_TIMEOUT); // a refused login: one clear line
            } else {
                kafka = KafkaClientSettings.plaintext();
                v.phase("starting the broker");
                parts.broker = BrokerProcess.start(where.repoRoot(), state.resolve("broker"), Duration.ofSeconds(90),
                        log);
                // Ctrl-C or SIGTERM ends the JVM without the finally below: the broker is a process of its own, stop it too.
                onInterrupt = new Thread(() -> {
                    if (!stopped.get()) {
                        BrokerProcess b = parts.broker;
                        if (b != null) {
                            b.close();
                        }
                        deleteTree(state);
                    }
                }, "lab-broker-stop");
                Runtime.getRuntime().addShutdownHook(onInterrupt);
                bootstrap = parts.broker.bootstrap();
                say("Kafka broker at %s (pid %d)", bootstrap, parts.broker.pid());
            }
            prepareBroker(bootstrap);
            String run = "lab-" + UUID.randomUUID().toString().substring(0, 8);
            CityClock clock = CityClock.system(Instant.now(), o.speedup());
            parts.bind(bootstrap, run, clock);
            v.phase("starting the pipeline");
            parts.startScheduler();
            for (int k = 0; k < servers.size(); k++) {
                parts.startConnector(k);
            }
            parts.startPlanner(null);
            telemetry = new Telemetry(bootstrap, v);
            telemetry.start();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
                 KafkaConsumer<String, byte[]> ends = consumer(bootstrap, List.of(Topics.PROMPT_COMPLETIONS.name(),
                         Topics.PROMPT_REJECTIONS.name(), Topics.PROMPTS_DLQ.name(), Topics.NODE_RESULTS.name()))) {
                v.phase("warming");
                warmStart(producer, evaluation, servers, clock, run);
                awaitReady(bootstrap, evaluation, servers, Duration.ofSeconds(120));
                warmUp(producer, ends, w, n, clock, run, o.warmupSeconds(), Duration.ofSeconds(120));
                Replay replay = new Replay(o, w, n, servers, clock, run, v, parts);
                if (side != null) {
                    side.start(bootstrap, run + "-", o.citySpanSeconds(), clock);
                }
                replay.run(producer, ends);
                if (side != null) {
                    side.finish();
                }
                if (parts.llm != null) {
                    say("the scripted language model's requests by its mode: %s", parts.llm.requests());
                    if (!marker.isEmpty()) {
                        say("requests to the language model carrying the planted marker: %d",
                                parts.llm.watchedRequests());
                    }
                }
                if (!telemetry.fallbackReasons.isEmpty()) {
                    say("agent decisions the optimizer made instead, by agent and reason: %s", telemetry.fallbackReasons);
                }
                Invariants invariants = Invariants.check(bootstrap, kafka, id -> id.startsWith(run + "-"),
                        parts.commandApplications());
                say("invariants %s: %d prompts, %d accepted, %d dead-lettered; %d without a terminal record, %d with "
                                + "several, %d terminal records without a prompt, %d accepted twice, %d commands applied "
                                + "twice %s", invariants.holds() ? "hold" : "BROKEN", invariants.prompts(),
                        invariants.accepted(), invariants.deadLettered(), invariants.withoutTerminal(),
                        invariants.withSeveralTerminals(), invariants.terminalsWithoutPrompt(),
                        invariants.acceptedTwice(), invariants.commandsAppliedTwice(), invariants.examples());
                v.phase("comparing with the testbed");
                Pipeline pipeline = replay.pipeline(o.commitInterval().toMillis(), routingMs(bootstrap, replay),
                        invariants);
                RunResult live = replay.result(telemetry.decisions.get(), telemetry.refusals.get());
                say("the testbed on the same span, seed and load, with the measured hops (%.3f s to a server, %.3f s "
                        + "back) and the scheduler's admission control", pipeline.dispatchHopSeconds(),
                        pipeline.answerHopSeconds());
                // The same servers fail in the testbed: 'busiest' as it was resolved in the lab.
                RunResult testbed = evaluation.runSpan(w, n, Policies.parse(Policies.EDGEWEAVE).get(0), o.seed(),
                        replay.testbedFailures(), finiteOr0(pipeline.dispatchHopSeconds()),
                        finiteOr0(pipeline.answerHopSeconds()), SchedulerSettings.DEFAULTS.admissionFactor());
                Memory memory = new Memory(ProcessMemory.selfPeakResidentBytes(),
                        parts.broker == null ? -1 : parts.broker.peakResidentBytes());
                v.phase("done");
                List<ModelClass> classes = sc.models().models().stream().map(m -> m.modelClass()).toList();
                return new Result(o, sc.name(), live, testbed, classes, pipeline, memory,
                        (System.nanoTime() - t0) / 1e9, replay.faultOutcomes(live, testbed, telemetry.fallbacksAt()),
                        invariants);
            }
        } finally {
            v.phase("stopping");
            if (telemetry != null) {
                telemetry.close();
            }
            parts.close();
            if (parts.broker != null) {
                parts.broker.close();
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
        try (Admin admin = KafkaAccess.admin(bootstrap, kafka)) {
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

    private String send(KafkaProducer<byte[], byte[]> producer, AvroCodec<Prompt> prompts, Workload w, int i,
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

    /** The pipeline's running parts, each restartable on its own (the chaos plan's faults). */
    private final class Components {
        private final Options o;
        private final Scenario sc;
        private final List<EdgeServer> servers;
        private final Path state;
        private String bootstrap;
        private String run;
        private CityClock clock;
        volatile BrokerProcess broker;
        /** The language model's stand-in, when the plan fails it. */
        volatile ScriptedLlm llm;
        private volatile KafkaStreams scheduler;
        private volatile JobClient planner;
        /** One per server, by the server's index; a killed one stays until it is restarted. */
        final List<NodeConnector> connectors = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<Map<String, Integer>> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Cut links by server index: access points ({@code partition-link}). */
        private final Map<Integer, Set<String>> cutLinks = new java.util.concurrent.ConcurrentHashMap<>();

        Components(Options o, Scenario sc, List<EdgeServer> servers, Path state) {
            this.o = o;
            this.sc = sc;
            this.servers = servers;
            this.state = state;
        }

        void bind(String bootstrap, String run, CityClock clock) {
            this.bootstrap = bootstrap;
            this.run = run;
            this.clock = clock;
        }

        void startScheduler() {
            scheduler = scheduler(bootstrap, run, clock, state, servers, o.commitInterval());
        }

        void startConnector(int k) throws Exception {
            NodeConnector c = new NodeConnector(connectorConfig(bootstrap, servers.get(k), clock), sc.models(),
                    Runtimes::emulated);
            if (k < connectors.size()) {
                connectors.set(k, c);
            } else {
                connectors.add(c); // closed in close() even if it fails half-started
            }
            c.start();
            cutLinks.getOrDefault(k, Set.of()).forEach(ap -> c.partition(ap, true)); // a restart keeps a cut cut
        }

        /** Cuts or restores the link from access point {@code ap} to server {@code k}, across its restarts. */
        void cut(int k, String ap, boolean down) {
            if (down) {
                cutLinks.computeIfAbsent(k, x -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(ap);
            } else {
                cutLinks.getOrDefault(k, new HashSet<>()).remove(ap);
            }
            connectors.get(k).partition(ap, down);
        }

        /** Stops server {@code k}'s connector at once, as a crash would. */
        void kill(int k) {
            NodeConnector c = connectors.get(k);
            retired.add(c.commandApplications());
            c.kill();
        }

        void startPlanner(Path restore) throws Exception {
            planner = planner(bootstrap, run, state.resolve("checkpoints"), restore, agents());
        }

        /** The planner's agents: the optimizers, or the LLM brains on the stand-in when the plan fails it. */
        private AgentsConfig agents() {
            if (llm == null) {
                return AgentsConfig.OPTIMIZERS;
            }
            AgentsConfig o = AgentsConfig.OPTIMIZERS;
            return new AgentsConfig(Brain.LLM, Brain.LLM, Brain.OPTIMIZER, "openai", llm.baseUrl(), "lab-scripted",
                    1_000, o.maxTokens(), o.recall(), o.memoryDir());
        }

        /** Cancels the planner's job and starts it again from its latest completed checkpoint. */
        void restartPlanner() throws Exception {
            JobClient old = planner;
            old.cancel().get(60, TimeUnit.SECONDS);
            Optional<Path> latest = latestCheckpoint(state.resolve("checkpoints").resolve(old.getJobID().toString()));
            if (latest.isEmpty()) {
                throw new IllegalStateException("the planner has no completed checkpoint to restart from");
            }
            startPlanner(latest.get());
            say("the planner restarted from %s", latest.get().getFileName());
        }

        /**
         * Stops the scheduler and starts it again from its state directory and the topics. It leaves its group as
         * the scheduler's own SIGTERM does: Kafka Streams stays a member otherwise, and the new instance would
         * wait out the session timeout (45 s) for its partitions.
         */
        void restartScheduler() {
            scheduler.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(10))
                    .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            startScheduler();
        }

        void restartBroker() throws Exception {
            broker = broker.restart(Duration.ofSeconds(90));
        }

        /** Each connector's command applications, the killed ones' as they were at the kill. */
        List<Map<String, Integer>> commandApplications() {
            List<Map<String, Integer>> all = new ArrayList<>(retired);
            connectors.forEach(c -> all.add(c.commandApplications()));
            return all;
        }

        /** Stops the model's stand-in, the planner, the connectors and the scheduler (the broker is the caller's). */
        void close() {
            if (llm != null) {
                llm.close();
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
        }
    }

    /** The newest {@code chk-N} directory under {@code dir} holding a completed checkpoint's metadata. */
    private static Optional<Path> latestCheckpoint(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (java.util.stream.Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
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
        private final Components parts;
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
        /** The faults as injected ({@code busiest} and {@code killed} resolved), with their city seconds. */
        private final List<Fault> injected = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Servers down: city second of the kill, by server index (for the testbed's failures). */
        private final Map<Integer, Double> down = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<FailureEvent> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile int lastKilled = -1;
        private volatile Exception faultError;
        private Instant start;
        private long completed;
        private long rejected;
        private long deadLetters;
        private double lastTerminal;

        Replay(Options o, Workload w, int n, List<EdgeServer> servers, CityClock clock, String run, LabView v,
               Components parts) {
            this.o = o;
            this.w = w;
            this.n = n;
            this.servers = servers;
            this.clock = clock;
            this.run = run;
            this.v = v;
            this.parts = parts;
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

        /** The highest offset read per partition: a rebalance (a broker restart) may deliver records again. */
        private final Map<org.apache.kafka.common.TopicPartition, Long> readUpTo = new HashMap<>();

        /** Whether this is the first delivery of {@code r} to the lab's reader. */
        private boolean firstDelivery(ConsumerRecord<String, byte[]> r) {
            var tp = new org.apache.kafka.common.TopicPartition(r.topic(), r.partition());
            Long last = readUpTo.get(tp);
            if (last != null && r.offset() <= last) {
                return false;
            }
            readUpTo.put(tp, r.offset());
            return true;
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
            List<Fault> plan = new ArrayList<>(o.faults());
            List<Fault> spanEnds = new ArrayList<>(plan.stream().filter(f -> f.kind().hasSpan())
                    .sorted(Comparator.comparingDouble(Fault::untilSeconds)).toList());
            java.util.concurrent.ExecutorService chaos = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lab-chaos");
                t.setDaemon(true);
                return t;
            });
            start = clock.instant();
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
                if (side != null) {
                    side.send(producer, next == n ? Double.POSITIVE_INFINITY : cityNow, next);
                }
                // Faults are injected on their own thread: a restart takes seconds, the replay keeps its pace.
                // A fault that ends as another begins (the model down, then answering garbage) ends first. Faults
                // with a span only switch something (the model's mode, a link): on this thread, on time, and not
                // queued behind a restart on the chaos thread.
                while (!spanEnds.isEmpty() && spanEnds.get(0).untilSeconds() <= cityNow) {
                    end(spanEnds.remove(0));
                }
                while (!plan.isEmpty() && plan.get(0).atSeconds() <= cityNow) {
                    Fault f = plan.remove(0);
                    if (f.kind().hasSpan()) {
                        inject(f);
                    } else {
                        chaos.execute(() -> inject(f));
                    }
                }
                long now = clock.millis();
                for (ConsumerRecord<String, byte[]> r : ends.poll(Duration.ofMillis(20))) {
                    int i = side != null && side.owns(r) ? -1 : indexOf(r.key());
                    if (i < 0 || !firstDelivery(r)) {
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
            chaos.shutdown();
            if (!chaos.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a fault's injection did not finish within 5 minutes");
            }
            if (faultError != null) {
                throw new IllegalStateException("injecting a fault failed: " + faultError.getMessage(), faultError);
            }
            // The last hops: results and completions already written but not yet read.
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < quiet) {
                for (ConsumerRecord<String, byte[]> r : ends.poll(Duration.ofMillis(100))) {
                    if (!firstDelivery(r) || side != null && side.owns(r)) {
                        continue;
                    }
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

        /** On the chaos thread: one fault, recorded as injected; a failure stops the run after the replay. */
        private void inject(Fault f) {
            double at = f.atSeconds();
            try {
                switch (f.kind()) {
                    case KILL_NODE -> {
                        int k = f.target().equals(Fault.BUSIEST) ? busiest() : serverIndex.get(f.target());
                        if (down.containsKey(k)) {
                            say("%.0f city s: %s is down already", at, servers.get(k).id());
                            return;
                        }
                        say("%.0f city s: killing the connector of %s (%d prompts in flight)", at, servers.get(k).id(),
                                parts.connectors.get(k).inFlight());
                        parts.kill(k);
                        down.put(k, at);
                        lastKilled = k;
                        injected.add(new Fault(f.kind(), servers.get(k).id(), at));
                    }
                    case RESTART_NODE -> {
                        int k = f.target().equals(Fault.KILLED) ? lastKilled : serverIndex.get(f.target());
                        if (k < 0) {
                            say("%.0f city s: %s: no server was killed before it", at, f.spec());
                            return;
                        }
                        Double killedAt = down.remove(k);
                        if (killedAt == null) {
                            parts.kill(k); // a crash-restart of a running connector
                        } else {
                            failed.add(new FailureEvent(servers.get(k).id(), killedAt, Math.max(1e-3, at - killedAt)));
                        }
                        parts.startConnector(k);
                        say("%.0f city s: restarted the connector of %s", at, servers.get(k).id());
                        injected.add(new Fault(f.kind(), servers.get(k).id(), at));
                    }
                    case RESTART_SCHEDULER -> {
                        say("%.0f city s: restarting the scheduler", at);
                        parts.restartScheduler();
                        injected.add(f);
                    }
                    case RESTART_PLANNER -> {
                        say("%.0f city s: restarting the planner", at);
                        parts.restartPlanner();
                        injected.add(f);
                    }
                    case RESTART_BROKER -> {
                        say("%.0f city s: restarting the Kafka broker", at);
                        parts.restartBroker();
                        say("the Kafka broker is back (pid %d)", parts.broker.pid());
                        injected.add(f);
                    }
                    case LLM_DOWN, LLM_GARBAGE, LLM_SLOW -> {
                        ScriptedLlm.Mode mode = llmMode(f);
                        say("%.0f city s: the language model %s until %.0f city s", at, switch (mode) {
                            case DOWN -> "is down";
                            case GARBAGE -> "answers garbage";
                            default -> "answers too late";
                        }, f.untilSeconds());
                        parts.llm.mode(mode);
                        injected.add(f);
                    }
                    case PARTITION_LINK -> {
                        say("%.0f city s: the link %s is cut until %.0f city s", at, f.target(), f.untilSeconds());
                        parts.cut(serverIndex.get(f.linkNode()), f.accessPoint(), true);
                        injected.add(f);
                    }
                }
            } catch (Exception e) {
                say("%s failed: %s", f.spec(), e);
                if (faultError == null) {
                    faultError = e;
                }
            }
        }

        private static ScriptedLlm.Mode llmMode(Fault f) {
            return switch (f.kind()) {
                case LLM_DOWN -> ScriptedLlm.Mode.DOWN;
                case LLM_GARBAGE -> ScriptedLlm.Mode.GARBAGE;
                default -> ScriptedLlm.Mode.SLOW;
            };
        }

        /** On the chaos thread: the end of a fault with a span (unless another fault of the model took over). */
        private void end(Fault f) {
            if (f.kind().isLlm() && parts.llm.mode() == llmMode(f)) {
                parts.llm.mode(ScriptedLlm.Mode.ANSWERING);
                say("%.0f city s: the language model answers again (%s)", f.untilSeconds(), f.spec());
            } else if (f.kind() == Fault.Kind.PARTITION_LINK) {
                parts.cut(serverIndex.get(f.linkNode()), f.accessPoint(), false);
                say("%.0f city s: the link %s is back (%s)", f.untilSeconds(), f.target(), f.spec());
            }
        }

        /** The running server with the most prompts in flight. */
        private int busiest() {
            int best = -1;
            for (int k = 0; k < parts.connectors.size(); k++) {
                if (!down.containsKey(k) && (best < 0
                        || parts.connectors.get(k).inFlight() > parts.connectors.get(best).inFlight())) {
                    best = k;
                }
            }
            return Math.max(0, best);
        }

        /** The servers the testbed fails to compare like with like: each kill, down until its restart if any. */
        List<FailureEvent> testbedFailures() {
            List<FailureEvent> all = new ArrayList<>(failed);
            down.forEach((k, at) -> all.add(new FailureEvent(servers.get(k).id(), at, Double.POSITIVE_INFINITY)));
            all.sort(Comparator.comparingDouble(FailureEvent::atSeconds));
            return all;
        }

        /**
         * How the run came through each fault: the recovery of its live latencies and the agents' fallbacks
         * until the next fault.
         *
         * @param fallbacks epoch ms of every agent decision that fell back to the optimizer
         */
        List<FaultOutcome> faultOutcomes(RunResult live, RunResult testbed, long[] fallbacks) {
            List<Fault> faults = new ArrayList<>(injected);
            faults.sort(Comparator.comparingDouble(Fault::atSeconds));
            List<FaultOutcome> out = new ArrayList<>();
            for (int i = 0; i < faults.size(); i++) {
                Fault f = faults.get(i);
                // During the fault: its span, or up to the next fault for one at an instant.
                double until = f.kind().hasSpan() ? f.untilSeconds()
                        : i + 1 < faults.size() ? faults.get(i + 1).atSeconds() : Double.POSITIVE_INFINITY;
                long fell = 0;
                for (long ms : fallbacks) {
                    double city = (ms - start.toEpochMilli()) / 1000.0;
                    if (city >= f.atSeconds() && city < until) {
                        fell++;
                    }
                }
                double seconds = Double.NaN;
                boolean recovered = false;
                double testbedSeconds = Double.NaN;
                if (f.atSeconds() + Recovery.SETTLED_TO <= live.lastArrival()) {
                    Recovery r = Recovery.of(live.arrival(), live.latency(), f.atSeconds(), live.lastArrival())
                            .orElseThrow();
                    seconds = r.seconds();
                    recovered = r.recovered();
                    testbedSeconds = Recovery.of(testbed.arrival(), testbed.latency(), f.atSeconds(),
                            testbed.lastArrival()).orElseThrow().seconds();
                }
                long crossed = -1;
                if (f.kind() == Fault.Kind.PARTITION_LINK) {
                    crossed = 0;
                    int node = serverIndex.get(f.linkNode());
                    for (int p = 0; p < n; p++) {
                        double t = w.timeSeconds(p);
                        if (t >= f.atSeconds() + PARTITION_NOTICE_SECONDS && t < f.untilSeconds() && isCompleted[p]
                                && server[p] == node && w.accessPointId(p).equals(f.accessPoint())) {
                            crossed++;
                        }
                    }
                }
                out.add(new FaultOutcome(f.spec(), f.atSeconds(), seconds, recovered, fell, crossed, testbedSeconds));
            }
            return out;
        }

        /**
         * The pipeline's figures; {@code lost} from the topics read whole after the run (the invariants), each
         * accepted prompt of the run without exactly one terminal record.
         */
        Pipeline pipeline(long commitIntervalMs, double[] routingMs, Invariants invariants) {
            long lost = invariants.withoutTerminal() + invariants.withSeveralTerminals();
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
            double event = injected.isEmpty() ? Double.NaN
                    : injected.stream().mapToDouble(Fault::atSeconds).min().orElse(Double.NaN);
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
        try (Admin admin = KafkaAccess.admin(bootstrap, kafka)) {
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
    private final class Telemetry implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final LabView view;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong decisions = new AtomicLong();
        final AtomicLong refusals = new AtomicLong();
        private final List<Long> fallbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Fallbacks by agent and the reason's first words. */
        final Map<String, Integer> fallbackReasons = new java.util.concurrent.ConcurrentSkipListMap<>();

        Telemetry(String bootstrap, LabView view) {
            this.consumer = consumer(bootstrap, List.of(Topics.NODE_STATE.name(), Topics.AGENT_DECISIONS.name()));
            this.view = view;
            this.thread = new Thread(this::loop, "lab-telemetry");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Epoch ms of every decision read so far that an agent's optimizer took over (a fallback). */
        long[] fallbacksAt() {
            return fallbacks.stream().mapToLong(Long::longValue).toArray();
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
                                if (d.getFallbackReason() != null) {
                                    fallbacks.add(d.getDecidedAt().toEpochMilli());
                                    String reason = d.getFallbackReason();
                                    fallbackReasons.merge(d.getAgent() + " " + reason.substring(0,
                                            Math.min(reason.length(), 72)), 1, Integer::sum);
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

    private Prompt prompt(Workload w, int i, String id, Instant at) {
        return Prompt.newBuilder().setPromptId(id).setModelId(w.modelId(i)).setUserId(marker + "user-" + w.user(i))
                .setAccessPointId(w.accessPointId(i)).setSloSeconds(w.sloSeconds(i)).setCreatedAt(at)
                .setSizes(PromptSizes.newBuilder().setInputTokens(w.inputTokens(i)).setImages(w.images(i))
                        .setImagePixels(w.imagePixels(i)).setAudioSeconds(w.audioSeconds(i))
                        .setOutputTokens(w.outputTokens(i)).setSteps(w.steps(i)).setOutputPixels(w.outputPixels(i))
                        .setInputBytes(w.inputBytes(i)).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain")
                        .setData(ByteBuffer.wrap(("lab prompt " + i + marker).getBytes(StandardCharsets.UTF_8))).build())
                .build();
    }

    private KafkaStreams scheduler(String bootstrap, String run, CityClock clock, Path state,
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
        Properties props = SchedulerApp.streamsProperties(s, kafka);
        KafkaStreams streams = new KafkaStreams(SchedulerTopology.build(SchedulerTopology.Names.standard(),
                dev.edgeweave.core.model.ModelCatalog.standard(), new CityState(GpuCatalog.standard(), c.nodes()),
                Optional.empty(), c.scheduler(), c.cityClock(), new SchedulerCounters()), props);
        streams.start();
        return streams;
    }

    private ConnectorConfig connectorConfig(String bootstrap, EdgeServer s, CityClock clock) {
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
                ConnectorConfig.ENV_PREFIX).withOverrides(o), GpuCatalog.standard()).withKafka(kafka);
    }

    /**
     * The planner job on an embedded MiniCluster, checkpointing every wall second into {@code checkpoints} (kept
     * when cancelled, for a restart), from {@code restore} when given.
     */
    private JobClient planner(String bootstrap, String run, Path checkpoints, Path restore, AgentsConfig agents)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(org.apache.flink.configuration.CoreOptions.CHECK_LEAKED_CLASSLOADER, false); // see PlannerMain
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restore != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        PlannerSettings s = PlannerSettings.DEFAULTS.withAgents(agents);
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(bootstrap, run + "-planner",
                        PlannerMain.INPUTS.stream().map(t -> t.name()).toList(), OffsetsInitializer.latest(),
                        kafka.properties()), PlannerJob.watermarks(s), "city events").uid("city-events");
        PlannerJob.build(events, KafkaIO.sink(bootstrap, kafka.properties()), s);
        return env.executeAsync("edgeweave lab planner");
    }

    private Properties producerProps(String bootstrap) {
        Properties p = KafkaAccess.properties(bootstrap, kafka);
        p.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        return p;
    }

    private KafkaConsumer<String, byte[]> consumer(String bootstrap, List<String> topics) {
        Properties p = KafkaAccess.properties(bootstrap, kafka);
        p.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "lab-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(topics);
        return c;
    }

    /** Deletes {@code root} and everything under it, as far as it can: a temporary file left behind fails nothing. */
    public static void deleteTree(Path root) {
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
