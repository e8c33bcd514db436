package dev.edgeweave.connector;

import dev.edgeweave.agents.AgentBrains;
import dev.edgeweave.agents.Guard;
import dev.edgeweave.agents.OptimizerDeploymentBrain;
import dev.edgeweave.connector.runtime.ModelRuntime;
import dev.edgeweave.connector.runtime.Outcome;
import dev.edgeweave.connector.runtime.Work;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.PromptValidator;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.KafkaAccess;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.EndpointKind;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge server's connector (DESIGN.md, "A prompt's life"): it takes the server's attempts off
 * {@code node.<id>.prompts}, runs them on its {@link ModelRuntime}, and answers each with one
 * {@link AttemptResult} on {@code node-results}; it carries out the planner's {@code deployment-commands}
 * through the on-node deployment agent ({@link DeploymentKeeper}); it reports its state on {@code node-state}
 * every heartbeat of city time and on every change, its links on {@code network-telemetry}, and its agent's
 * decisions on {@code agent-decisions}.
 *
 * <p><b>Threads.</b> All state lives on the {@link NodeThread}: records, runtime callbacks, heartbeats and
 * commands are tasks on it. Two poller threads own the two consumers (prompts in a consumer group of its own,
 * {@code edgeweave-node-<id>}, with offsets committed by hand; commands read whole from the start of the topic
 * at every start, so a restarted connector rebuilds its target and a replayed command does nothing twice).
 *
 * <p><b>Offsets.</b> Only the contiguous prefix of prompts whose results Kafka has taken is committed
 * ({@link OffsetTracker}): after a crash the rest are served again, and the scheduler ignores a duplicate
 * result.
 *
 * <p><b>Stopping.</b> {@link #close()} is graceful: it takes no new prompts (they are handed back), lets the
 * running ones finish for up to the shutdown timeout, hands back the rest, commits, and publishes a last state
 * marked draining. {@link #kill()} is a crash: it stops at once, producing and committing nothing more.
 */
public final class NodeConnector implements AutoCloseable {

    /** Makes the runtime, on the node thread's scheduler, reporting to the connector. */
    @FunctionalInterface
    public interface RuntimeFactory {
        ModelRuntime create(ConnectorConfig config, NodeThread node, ModelRuntime.Listener listener);
    }

    private static final Logger LOG = LoggerFactory.getLogger(NodeConnector.class);
    private static final AvroCodec<RoutedPrompt> ROUTED = AvroCodec.of(RoutedPrompt.class);
    private static final AvroCodec<DeploymentCommand> COMMANDS = AvroCodec.of(DeploymentCommand.class);
    private static final AvroCodec<AttemptResult> RESULTS = AvroCodec.of(AttemptResult.class);
    private static final AvroCodec<NodeState> STATES = AvroCodec.of(NodeState.class);
    private static final AvroCodec<LinkSample> LINKS = AvroCodec.of(LinkSample.class);
    private static final AvroCodec<AgentDecision> DECISIONS = AvroCodec.of(AgentDecision.class);
    /** Failed deployments kept in NodeState (newest last). */
    static final int FAILURES_KEPT = 16;
    private static final Duration POLL = Duration.ofMillis(100);

    private final ConnectorConfig config;
    private final ModelCatalog catalog;
    private final RuntimeFactory runtimeFactory;
    private final String nodeId;
    private final Topic<String, RoutedPrompt> ownTopic;
    private final OffsetTracker tracker = new OffsetTracker();
    private final ConnectorMetrics metrics;
    private final DecisionRecords decisions;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger inFlightCount = new AtomicInteger();
    /**
     * The sequence of its states, from the wall clock in microseconds at start: a reader keeps the highest, so a
     * restarted connector's states must supersede the last one's at once (counting from 1 again, they would be
     * ignored for as long as the previous process ran). No connector writes a million states a second.
     */
    private final AtomicLong sequence = new AtomicLong(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
    private final CountDownLatch pollersDone = new CountDownLatch(2);
    private volatile boolean healthy;
    private volatile String healthText = "starting";
    private volatile boolean resultsFailing;

    // ---- node-thread state ------------------------------------------------------------------------------
    private NodeThread node;
    private ModelRuntime runtime;
    private volatile DeploymentKeeper keeper;
    private AgentBrains brains;
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final LinkedHashMap<String, DeploymentState> failures = new LinkedHashMap<>();
    private boolean draining;

    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> prompts;
    private KafkaConsumer<String, byte[]> commands;
    private Thread promptPoller;
    private Thread commandPoller;
    private java.util.concurrent.ScheduledExecutorService prober;
    /** Rounds in a row in which no probe of a link answered, by peer; the link is reported down from the second. */
    private final Map<String, Integer> failedRounds = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int DOWN_AFTER_ROUNDS = 2;
    /** Access points whose emulated link to this server is cut ({@link #partition}). */
    private final Set<String> partitioned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** One attempt being served: where its record came from, and when it arrived. */
    private record InFlight(TopicPartition tp, long offset, RoutedPrompt routed, Work work) {
    }

    /**
     * @param config         the connector's configuration
     * @param catalog        the models prompts and commands may name
     * @param runtimeFactory the runtime (emulated or HTTP)
     */
    public NodeConnector(ConnectorConfig config, ModelCatalog catalog, RuntimeFactory runtimeFactory) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.runtimeFactory = Objects.requireNonNull(runtimeFactory, "runtimeFactory");
        this.nodeId = config.nodeId();
        this.ownTopic = Topics.nodePrompts(nodeId);
        this.metrics = new ConnectorMetrics(inFlightCount::get);
        this.decisions = new DecisionRecords(nodeId);
    }

    public ConnectorMetrics metrics() {
        return metrics;
    }

    /** How many times this connector applied each deployment command it remembers: at most once each. */
    public Map<String, Integer> commandApplications() {
        DeploymentKeeper k = keeper;
        return k == null ? Map.of() : k.applications();
    }

    /** Prompts received and not yet answered. */
    public int inFlight() {
        return inFlightCount.get();
    }

    /** Healthy once started, until it stops or Kafka refuses its results. */
    public boolean healthy() {
        return healthy && !resultsFailing;
    }

    /** A few words on its state, for {@code /health}. */
    public String healthText() {
        return resultsFailing ? "results are not reaching Kafka" : healthText;
    }

    /**
     * Creates its topics, publishes its first state and starts serving.
     *
     * @throws KafkaAccess.KafkaAccessException when Kafka refuses its credentials or does not answer within 30 s
     * @throws Exception when a topic cannot be created
     */
    public void start() throws Exception {
        LOG.info("connector for {}: Kafka at {}: {}", nodeId, config.bootstrap(), config.kafka().describe());
        // Before the producer and consumers: a refused login would otherwise be retried by each, a trace each time.
        KafkaAccess.check(config.bootstrap(), config.kafka(), KafkaAccess.START_TIMEOUT);
        try (Admin admin = KafkaAccess.admin(config.bootstrap(), config.kafka())) {
            new TopicAdmin(admin, config.topicReplication(), Duration.ofSeconds(30)).ensure(List.of(ownTopic,
                    Topics.NODE_RESULTS, Topics.NODE_STATE, Topics.NETWORK_TELEMETRY, Topics.DEPLOYMENT_COMMANDS,
                    Topics.AGENT_DECISIONS));
        }
        producer = new KafkaProducer<>(producerProps());
        node = new NodeThread("node-" + nodeId, config.cityClock());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        node.execute(() -> {
            try {
                runtime = runtimeFactory.create(config, node, new RuntimeEvents());
                brains = AgentBrains.create(config.agents(), catalog);
                keeper = new DeploymentKeeper(config.server(), catalog, runtime, brains.deployment(
                        new OptimizerDeploymentBrain(catalog), new Guard(catalog, Integer.MAX_VALUE), node::now),
                        new KeeperReports());
                publishState();
                ready.complete(null);
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
            }
        });
        ready.get(30, TimeUnit.SECONDS);
        double beat = config.heartbeat().toNanos() / 1e9;
        node.every(beat, () -> {
            keeper.expire(node.now(), config.keepAlive().toNanos() / 1e9);
            publishState();
        });
        node.every(config.replanInterval().toNanos() / 1e9, () -> keeper.reconcile("every "
                + config.replanInterval().toSeconds() + " s: queues move"));

        commands = new KafkaConsumer<>(consumerProps(null));
        List<TopicPartition> commandPartitions = new ArrayList<>();
        for (PartitionInfo p : commands.partitionsFor(Topics.DEPLOYMENT_COMMANDS.name())) {
            commandPartitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        commands.assign(commandPartitions);
        commands.seekToBeginning(commandPartitions);
        commandPoller = new Thread(this::pollCommands, "node-" + nodeId + "-commands");
        commandPoller.setDaemon(true);
        commandPoller.start();

        prompts = new KafkaConsumer<>(consumerProps("edgeweave-node-" + nodeId));
        promptPoller = new Thread(this::pollPrompts, "node-" + nodeId + "-prompts");
        promptPoller.setDaemon(true);
        promptPoller.start();

        if (!config.probes().isEmpty() || !config.emulatedLinks().isEmpty()) {
            prober = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "node-" + nodeId + "-probes");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, node.clock().wallDuration(config.probeInterval()).toMillis());
            prober.scheduleAtFixedRate(this::probe, 0, period, TimeUnit.MILLISECONDS);
        }
        healthy = true;
        healthText = "serving";
        LOG.info("connector for {} started: runtime {}, {} GPU(s), city speed-up {}", nodeId, config.runtime(),
                config.server().gpus().size(), config.citySpeedup());
    }

    // ---- prompts ----------------------------------------------------------------------------------------

    private void pollPrompts() {
        try {
            prompts.subscribe(List.of(ownTopic.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!killed.get()) {
                        commit();
                    }
                    tracker.forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            boolean paused = false;
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = prompts.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    tracker.received(tp, r.offset());
                    inFlightCount.incrementAndGet();
                    metrics.received();
                    node.execute(() -> onPrompt(tp, r));
                }
                commit();
                boolean full = tracker.inFlight() >= config.maxInFlight();
                if (full != paused) {
                    if (full) {
                        prompts.pause(prompts.assignment());
                    } else {
                        prompts.resume(prompts.assignment());
                    }
                    paused = full;
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (!killed.get()) {
                LOG.error("the prompt consumer of {} failed; the connector stops taking prompts", nodeId, e);
                healthy = false;
                healthText = "prompt consumer failed: " + e.getClass().getSimpleName();
            }
        } finally {
            pollersDone.countDown();
        }
    }

    private void commit() {
        Map<TopicPartition, Long> points = tracker.toCommit();
        if (points.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        points.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        try {
            prompts.commitSync(offsets, Duration.ofSeconds(10));
            points.forEach(tracker::committed);
        } catch (RuntimeException e) {
            LOG.warn("committing {} failed (retried at the next poll): {}", offsets, e.toString());
        }
    }

    /** On the node thread: one attempt arrives. */
    private void onPrompt(TopicPartition tp, ConsumerRecord<String, byte[]> r) {
        RoutedPrompt routed;
        try {
            routed = ROUTED.decode(r.value());
        } catch (InvalidRecordException e) {
            LOG.warn("ignored an undecodable record at {}@{}: {}", tp, r.offset(), e.getMessage());
            metrics.ignored(ownTopic.name());
            finishWithoutResult(tp, r.offset());
            return;
        }
        Prompt p = routed.getPrompt();
        String key = p.getPromptId() + "#" + routed.getAttempt();
        double now = node.now();
        if (inFlight.containsKey(key)) {
            // The same attempt delivered twice (a redelivery after a rebalance): it is being served already, and
            // the first delivery's result marks the offset done; marking it here could commit past it.
            inFlightCount.decrementAndGet();
            return;
        }
        ModelSpec model = catalog.find(p.getModelId()).orElse(null);
        Work work = model == null ? null : new Work(p.getPromptId(), routed.getAttempt(), model,
                PromptValidator.toSize(p.getSizes()), p, now);
        InFlight f = new InFlight(tp, r.offset(), routed, work);
        if (!routed.getNodeId().equals(nodeId)) {
            answer(f, new Outcome.Failed(ReasonCode.NOT_DEPLOYED, "routed to server " + routed.getNodeId()
                    + " but on the topic of " + nodeId, true), now);
            return;
        }
        if (model == null) {
            answer(f, new Outcome.Failed(ReasonCode.RUNTIME_ERROR, "unknown model " + p.getModelId(), false), now);
            return;
        }
        if (draining) {
            answer(f, new Outcome.Failed(ReasonCode.NOT_DEPLOYED, nodeId + " is stopping", true), now);
            return;
        }
        if (node.instant(now).isAfter(routed.getDeadline())) {
            answer(f, new Outcome.Failed(ReasonCode.DEADLINE_EXCEEDED, "past its deadline on arrival", false), now);
            return;
        }
        ModelRuntime.DeploymentInfo d = deployment(model.id());
        if (d != null && d.queued() >= config.queueBound()) {
            answer(f, new Outcome.Failed(ReasonCode.OVERLOADED, d.queued() + " prompts queued at " + model.id()
                    + " (bound " + config.queueBound() + ")", true), now);
            return;
        }
        inFlight.put(key, f);
        boolean accepted = runtime.submit(work);
        if (!accepted && d == null && keeper.loadOnDemand(model, now)) {
            accepted = runtime.submit(work);
        }
        if (!accepted) {
            inFlight.remove(key);
            answer(f, new Outcome.Failed(ReasonCode.NOT_DEPLOYED, model.id() + " is not deployed on " + nodeId
                    + (d != null ? " (" + d.status() + ")" : " and does not fit its free memory"), true), now);
            return;
        }
        keeper.used(model.id(), now);
    }

    private ModelRuntime.DeploymentInfo deployment(String modelId) {
        for (ModelRuntime.DeploymentInfo d : runtime.deployments()) {
            if (d.modelId().equals(modelId)) {
                return d;
            }
        }
        return null;
    }

    /** On the node thread: produces the attempt's result; its offset is done once Kafka has it. */
    private void answer(InFlight f, Outcome outcome, double now) {
        Prompt p = f.routed().getPrompt();
        AttemptResult.Builder b = AttemptResult.newBuilder().setPromptId(p.getPromptId())
                .setAttempt(f.routed().getAttempt()).setNodeId(nodeId).setModelId(p.getModelId())
                .setStartedAt(node.instant(f.work() != null ? f.work().receivedAt() : now))
                .setFinishedAt(node.instant(now));
        String reason;
        if (outcome instanceof Outcome.Completed c && c.output() instanceof InlineContent inline
                && inline.getData().remaining() > Topics.INLINE_CONTENT_LIMIT) {
            // A record over the limit would be refused by Kafka (or bloat every reader): fail it with a reason.
            outcome = new Outcome.Failed(ReasonCode.RUNTIME_ERROR, "the output of " + inline.getData().remaining()
                    + " bytes is over the " + Topics.INLINE_CONTENT_LIMIT + "-byte inline limit", false);
        }
        if (outcome instanceof Outcome.Completed c) {
            b.setOutcome(AttemptOutcome.COMPLETED).setReason(null).setReasonText(null).setOutput(c.output())
                    .setMeasured(LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0)
                            .setQueueSeconds(c.queueSeconds()).setLoadWaitSeconds(c.loadWaitSeconds())
                            .setInferenceSeconds(c.inferenceSeconds()).setDownlinkSeconds(0)
                            .setTotalSeconds(c.queueSeconds() + c.loadWaitSeconds() + c.inferenceSeconds()).build());
            reason = "";
        } else {
            Outcome.Failed x = (Outcome.Failed) outcome;
            b.setOutcome(x.handBack() ? AttemptOutcome.HANDED_BACK : AttemptOutcome.FAILED).setReason(x.reason())
                    .setReasonText(x.text()).setOutput(null).setMeasured(null);
            reason = x.reason().name();
            LOG.debug("prompt {} attempt {}: {} {}", p.getPromptId(), f.routed().getAttempt(), x.reason(), x.text());
        }
        AttemptResult result = b.build();
        metrics.result(result.getOutcome().name(), reason);
        if (f.work() != null) {
            metrics.service(now - f.work().receivedAt());
        }
        send(Topics.NODE_RESULTS.name(), p.getPromptId(), RESULTS.encode(result), () -> {
            tracker.done(f.tp(), f.offset());
            inFlightCount.decrementAndGet();
        });
    }

    private void finishWithoutResult(TopicPartition tp, long offset) {
        tracker.done(tp, offset);
        inFlightCount.decrementAndGet();
    }

    // ---- commands ---------------------------------------------------------------------------------------

    private void pollCommands() {
        try {
            while (!stopping.get()) {
                for (ConsumerRecord<String, byte[]> r : commands.poll(POLL)) {
                    node.execute(() -> onCommand(r));
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (!killed.get()) {
                LOG.error("the command consumer of {} failed; deployments stay as they are", nodeId, e);
                healthy = false;
                healthText = "command consumer failed: " + e.getClass().getSimpleName();
            }
        } finally {
            pollersDone.countDown();
        }
    }

    /** On the node thread: one record of {@code deployment-commands}. */
    private void onCommand(ConsumerRecord<String, byte[]> r) {
        DeploymentCommand c;
        try {
            c = COMMANDS.decode(r.value());
        } catch (InvalidRecordException e) {
            if (nodeId.equals(r.key())) {
                LOG.warn("ignored an undecodable command at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
                metrics.ignored(Topics.DEPLOYMENT_COMMANDS.name());
            }
            return;
        }
        if (!nodeId.equals(c.getNodeId()) && !nodeId.equals(r.key())) {
            return; // another server's
        }
        boolean replay = keeper.knows(c.getCommandId());
        String refusal = keeper.apply(c);
        metrics.command(replay ? "replayed" : refusal == null ? "applied" : "refused");
        publishState();
    }

    // ---- runtime and keeper callbacks (node thread) -----------------------------------------------------

    private final class RuntimeEvents implements ModelRuntime.Listener {
        @Override
        public void ready(String modelId) {
            failures.remove(modelId);
            decide(decisions.event(modelId, "READY", modelId + " loaded and serves", node.instant(node.now())));
            publishState();
        }

        @Override
        public void loadFailed(String modelId, String reason) {
            keeper.loadFailed(modelId, reason);
            publishState();
        }

        @Override
        public void unloaded(String modelId) {
            decide(decisions.event(modelId, "UNLOADED", modelId + " drained and unloaded", node.instant(node.now())));
            keeper.reconcile(modelId + " unloaded: memory freed");
            publishState();
        }

        @Override
        public void finished(Work work, Outcome outcome) {
            InFlight f = inFlight.remove(work.promptId() + "#" + work.attempt());
            if (f != null) {
                answer(f, outcome, node.now());
            }
        }
    }

    private final class KeeperReports implements DeploymentKeeper.Reporter {
        @Override
        public void planned(dev.edgeweave.agents.AgentOutcome<dev.edgeweave.agents.DeploymentDecision> outcome,
                            dev.edgeweave.agents.DeploymentSituation situation, String trigger) {
            decide(decisions.planned(outcome, situation, trigger, node.instant(node.now())));
        }

        @Override
        public void failed(String modelId, String commandId, String reason) {
            Instant at = node.instant(node.now());
            boolean refused = commandId != null;
            decide(decisions.event(modelId, refused ? "REFUSED" : "FAILED", (refused ? "command " + commandId
                    + ": " : "") + reason, at));
            if (!refused) {
                failures.remove(modelId);
                failures.put(modelId, DeploymentState.newBuilder().setModelId(modelId).setGpuIndex(-1)
                        .setStatus(DeploymentStatus.FAILED).setReadyAt(null).setConcurrency(0).setQueued(0)
                        .setRunning(0).setMeanServiceSeconds(0).setMemoryBytes(0).setShareWeight(1.0)
                        .setReason(reason).build());
                while (failures.size() > FAILURES_KEPT) {
                    failures.remove(failures.keySet().iterator().next());
                }
            }
        }
    }

    private void decide(AgentDecision d) {
        send(Topics.AGENT_DECISIONS.name(), nodeId, DECISIONS.encode(d), null);
    }

    // ---- telemetry --------------------------------------------------------------------------------------

    /** On the node thread: the server's state now, on {@code node-state}. */
    private void publishState() {
        if (killed.get()) {
            return;
        }
        NodeState s = state();
        Map<String, Integer> byStatus = new HashMap<>();
        s.getDeployments().forEach(d -> byStatus.merge(d.getStatus().name(), 1, Integer::sum));
        metrics.deployments(byStatus);
        send(Topics.NODE_STATE.name(), nodeId, STATES.encode(s), null);
    }

    NodeState state() {
        List<GpuState> gpus = new ArrayList<>();
        for (int g = 0; g < config.server().gpus().size(); g++) {
            gpus.add(GpuState.newBuilder().setIndex(g).setGpuType(config.server().gpus().get(g).id())
                    .setMemoryBytes(config.server().gpus().get(g).memoryBytes())
                    .setMemoryUsedBytes(runtime.memoryUsedBytes(g)).setUtilisation(runtime.utilisationSinceLastCall(g))
                    .build());
        }
        List<DeploymentState> deps = new ArrayList<>();
        for (ModelRuntime.DeploymentInfo d : runtime.deployments()) {
            DeploymentStatus status = switch (d.status()) {
                case LOADING -> DeploymentStatus.LOADING;
                case READY -> DeploymentStatus.READY;
                case DRAINING -> DeploymentStatus.DRAINING;
            };
            deps.add(DeploymentState.newBuilder().setModelId(d.modelId()).setGpuIndex(d.gpuIndex()).setStatus(status)
                    .setReadyAt(d.status() == ModelRuntime.DeploymentInfo.Status.LOADING ? node.instant(d.readyAt())
                            : null)
                    .setConcurrency(d.concurrency()).setQueued(d.queued()).setRunning(d.running())
                    .setMeanServiceSeconds(d.meanServiceSeconds()).setMemoryBytes(d.memoryBytes())
                    .setShareWeight(d.shareWeight()).setReason(null).build());
        }
        for (DeploymentState f : failures.values()) {
            if (deps.stream().noneMatch(d -> d.getModelId().equals(f.getModelId()))) {
                deps.add(f);
            }
        }
        return NodeState.newBuilder().setNodeId(nodeId).setSiteId(config.server().siteId())
                .setHeartbeatAt(node.instant(node.now())).setSequence(sequence.incrementAndGet())
                .setStorageBytesPerSecond(config.server().storageBytesPerSecond()).setGpus(gpus).setDeployments(deps)
                .setDraining(draining).build();
    }

    /**
     * Cuts ({@code down}) or restores the emulated link from access point {@code peer} to this server: while cut,
     * every round of probes reports it down ({@code LinkSample} of 0 probes, which the scheduler routes nothing
     * over); restored, it reports the link's configured figures again, or, for a link without any, a tombstone
     * (the scheduler goes back to the city map's estimate). A cut, and the restoring of an emulated link, is
     * published at once; a probed link is measured again on its next round.
     */
    public void partition(String peer, boolean down) {
        java.util.Objects.requireNonNull(peer, "peer");
        Instant at = node.clock().instant();
        synchronized (partitioned) { // a round of probes sends nothing of this peer's in between
            if (down) {
                partitioned.add(peer);
                sendLinkDown(peer, at);
            } else if (partitioned.remove(peer)) {
                ConnectorConfig.EmulatedLink l = config.emulatedLinks().get(peer);
                if (l != null) {
                    sendLink(peer, l.rttMillis(), l.uplinkMbps(), l.downlinkMbps(), at, 1);
                } else if (!config.probes().containsKey(peer)) {
                    send(Topics.NETWORK_TELEMETRY.name(), Topics.linkKey(peer, nodeId), null, null);
                }
            }
        }
    }

    /** On the probe thread: one round of network probes. */
    private void probe() {
        Instant at = node.clock().instant();
        synchronized (partitioned) {
            partitioned.forEach(peer -> sendLinkDown(peer, at));
            config.emulatedLinks().forEach((peer, l) -> {
                if (!partitioned.contains(peer)) {
                    sendLink(peer, l.rttMillis(), l.uplinkMbps(), l.downlinkMbps(), at, 1);
                }
            });
        }
        config.probes().forEach((peer, target) -> {
            if (partitioned.contains(peer)) {
                return;
            }
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon);
            int port = Integer.parseInt(target.substring(colon + 1));
            double[] rtts = new double[3];
            int ok = 0;
            for (int i = 0; i < rtts.length; i++) {
                long t0 = System.nanoTime();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), 2000);
                    rtts[ok++] = (System.nanoTime() - t0) / 1e6;
                } catch (IOException e) {
                    LOG.debug("probe of {} ({}) failed: {}", peer, target, e.toString());
                }
            }
            synchronized (partitioned) {
                if (partitioned.contains(peer)) {
                    return; // cut while it was probed
                }
                if (ok > 0) {
                    failedRounds.remove(peer);
                    double[] got = java.util.Arrays.copyOf(rtts, ok);
                    java.util.Arrays.sort(got);
                    // A TCP connect measures the round trip; throughput is not probed, so the rates are left high.
                    sendLink(peer, got[ok / 2] * config.citySpeedup(), 1000, 1000, at, ok);
                } else if (failedRounds.merge(peer, 1, Integer::sum) >= DOWN_AFTER_ROUNDS) {
                    sendLinkDown(peer, at); // no probe answered, round after round
                }
            }
        });
    }

    /** The link from {@code peer} reported down: a sample of 0 probes (its figures mean nothing). */
    private void sendLinkDown(String peer, Instant at) {
        sendLink(peer, 0, 1, 1, at, 0);
    }

    private void sendLink(String peer, double rttMillis, double up, double down, Instant at, int probes) {
        if (killed.get()) {
            return;
        }
        LinkSample s = LinkSample.newBuilder().setFromId(peer).setFromKind(EndpointKind.ACCESS_POINT).setToId(nodeId)
                .setRttMillis(rttMillis).setUplinkMbps(up).setDownlinkMbps(down).setMeasuredAt(at).setProbes(probes)
                .build();
        send(Topics.NETWORK_TELEMETRY.name(), peer + "/" + nodeId, LINKS.encode(s), null);
    }

    private void send(String topic, String key, byte[] value, Runnable onAck) {
        if (killed.get()) {
            return;
        }
        producer.send(new ProducerRecord<>(topic, null, node.clock().millis(), key, value), (m, e) -> {
            if (e != null) {
                if (!killed.get()) {
                    LOG.error("sending to {} failed: {}", topic, e.toString());
                    metrics.sendError();
                    if (topic.equals(Topics.NODE_RESULTS.name())) {
                        resultsFailing = true;
                    }
                }
            } else if (onAck != null) {
                onAck.run();
            }
        });
    }

    // ---- stopping ---------------------------------------------------------------------------------------

    /**
     * Stops gracefully: new prompts are handed back, running ones finish for up to the shutdown timeout, the
     * rest are handed back, offsets are committed, a last state marked draining is published.
     */
    @Override
    public void close() {
        if (node == null || killed.get() || !closing.compareAndSet(false, true)) {
            return;
        }
        healthy = false;
        healthText = "stopping";
        node.execute(() -> {
            draining = true;
            publishState();
        });
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        while (System.nanoTime() < deadline && inFlightCount.get() > 0) {
            sleep(20);
        }
        CompletableFuture<Void> handedBack = new CompletableFuture<>();
        node.execute(() -> {
            for (InFlight f : List.copyOf(inFlight.values())) {
                inFlight.remove(f.routed().getPrompt().getPromptId() + "#" + f.routed().getAttempt());
                answer(f, new Outcome.Failed(ReasonCode.NOT_DEPLOYED, nodeId + " stopped before it finished", true),
                        node.now());
            }
            publishState();
            handedBack.complete(null);
        });
        try {
            handedBack.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("handing back the last prompts did not finish: {}", e.toString());
        }
        producer.flush();
        stopping.set(true);
        awaitPollers();
        try {
            commit();
        } catch (RuntimeException e) {
            LOG.warn("the last commit failed: {}", e.toString());
        }
        shutdown(Duration.ofSeconds(10));
        healthText = "stopped";
        LOG.info("connector for {} stopped", nodeId);
    }

    /** Stops at once, as a crash would: nothing more is produced or committed. */
    public void kill() {
        killed.set(true);
        stopping.set(true);
        healthy = false;
        healthText = "killed";
        awaitPollers();
        shutdown(Duration.ZERO);
    }

    private void awaitPollers() {
        if (prompts != null) {
            prompts.wakeup();
        }
        if (commands != null) {
            commands.wakeup();
        }
        try {
            pollersDone.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown(Duration producerTimeout) {
        if (prober != null) {
            prober.shutdownNow();
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        node.execute(() -> {
            runtime.close();
            if (brains != null) {
                brains.close();
            }
            closed.complete(null);
        });
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the runtime did not finish: {}", e.toString());
        }
        node.close();
        closeQuietly(prompts, producerTimeout);
        closeQuietly(commands, producerTimeout);
        producer.close(producerTimeout);
    }

    private static void closeQuietly(KafkaConsumer<?, ?> c, Duration timeout) {
        if (c != null) {
            try {
                c.close(timeout);
            } catch (RuntimeException e) {
                LOG.debug("closing a consumer: {}", e.toString());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties producerProps() {
        Properties p = KafkaAccess.properties(config.bootstrap(), config.kafka());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "node-" + nodeId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    private Properties consumerProps(String groupId) {
        Properties p = KafkaAccess.properties(config.bootstrap(), config.kafka());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "node-" + nodeId + (groupId == null ? "-commands" : "-prompts"));
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The scheduler writes under exactly-once: only committed attempts exist.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
