package dev.edgeweave.scheduler;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.avro.AvroSerde;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for the node connectors, which come with the next issue: one thread that
 *
 * <ul>
 *   <li>publishes a {@code node-state} heartbeat for each of its servers every second (wall clock), each an
 *       A100 40GB holding {@link SchedulerFixture#CHAT} READY with its memory full, so no other model can be
 *       loaded there;</li>
 *   <li>consumes the servers' {@code node.<id>.prompts} topics with {@code isolation.level=read_committed}, as a
 *       connector must (an aborted attempt of the scheduler is never seen), and answers each
 *       {@link RoutedPrompt} on {@code node-results} with the {@link AttemptResult}s a {@link Script} says: a
 *       completion, a failure, a hand-back, or the same answer twice.</li>
 * </ul>
 *
 * It answers at once (no emulated inference). {@link #pause()} holds the answers back, so prompts stay in
 * flight in the scheduler's ledgers; the heartbeats go on meanwhile.
 */
final class TestResponder implements AutoCloseable {

    /** What the responder answers to one attempt: the outcomes it sends, in order (two for a duplicate). */
    @FunctionalInterface
    interface Script extends Function<RoutedPrompt, List<AttemptOutcome>> {
    }

    private final String bootstrap;
    private final List<String> nodes;
    private final String resultsTopic;
    private final String nodeStateTopic;
    private final Script script;
    private final Clock clock;
    private final Thread thread;
    private final Map<String, Long> sequence = new HashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private volatile boolean paused;
    private volatile boolean running = true;

    TestResponder(String bootstrap, List<String> nodes, String resultsTopic, String nodeStateTopic, Clock clock,
                  Script script) {
        this.bootstrap = bootstrap;
        this.nodes = List.copyOf(nodes);
        this.resultsTopic = resultsTopic;
        this.nodeStateTopic = nodeStateTopic;
        this.clock = clock;
        this.script = script;
        this.thread = new Thread(this::run, "test-responder");
        this.thread.setDaemon(true);
    }

    TestResponder start() {
        thread.start();
        return this;
    }

    /** Holds answers back from the next poll on; heartbeats go on. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    long answered() {
        return answered.get();
    }

    long heartbeats() {
        return heartbeats.get();
    }

    /** The error that stopped the thread, if any: a test checks it so a dead responder fails loudly. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        try (KafkaConsumer<String, RoutedPrompt> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                AvroSerde.of(RoutedPrompt.class));
             KafkaProducer<String, Object> producer = new KafkaProducer<>(p, new StringSerializer(),
                     (topic, value) -> value instanceof NodeState s ? AvroSerde.of(NodeState.class).serialize(topic, s)
                             : AvroSerde.of(AttemptResult.class).serialize(topic, (AttemptResult) value))) {
            // Assigned, not subscribed: no group, so nothing to rebalance while the scheduler's instances do.
            List<TopicPartition> partitions = new ArrayList<>();
            for (String node : nodes) {
                partitions.add(new TopicPartition(Topics.nodePrompts(node).name(), 0));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long nextHeartbeat = System.nanoTime();
            while (running) {
                if (System.nanoTime() - nextHeartbeat >= 0) {
                    for (String node : nodes) {
                        producer.send(new ProducerRecord<>(nodeStateTopic, node, heartbeat(node)));
                    }
                    heartbeats.incrementAndGet();
                    nextHeartbeat += TimeUnit.SECONDS.toNanos(1);
                }
                if (paused) {
                    consumer.pause(partitions);
                } else {
                    consumer.resume(partitions);
                }
                for (ConsumerRecord<String, RoutedPrompt> r : consumer.poll(Duration.ofMillis(50))) {
                    for (AttemptOutcome outcome : script.apply(r.value())) {
                        producer.send(new ProducerRecord<>(resultsTopic, r.key(), result(r.value(), outcome)));
                    }
                    answered.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private NodeState heartbeat(String node) {
        long memory = GpuCatalog.standard().require("a100-40gb").memoryBytes();
        DeploymentState chat = DeploymentState.newBuilder().setModelId(SchedulerFixture.CHAT).setGpuIndex(0)
                .setStatus(DeploymentStatus.READY).setConcurrency(8).setQueued(0).setRunning(0)
                .setMeanServiceSeconds(1.0)
                .setMemoryBytes(ModelCatalog.standard().require(SchedulerFixture.CHAT).memoryBytes()).build();
        return NodeState.newBuilder().setNodeId(node).setSiteId("site-" + node).setHeartbeatAt(clock.instant())
                .setSequence(sequence.merge(node, 1L, Long::sum)).setStorageBytesPerSecond(0.5e9)
                .setGpus(List.of(GpuState.newBuilder().setIndex(0).setGpuType("a100-40gb").setMemoryBytes(memory)
                        .setMemoryUsedBytes(memory).setUtilisation(0.5).build()))
                .setDeployments(List.of(chat)).build();
    }

    private AttemptResult result(RoutedPrompt routed, AttemptOutcome outcome) {
        Instant now = clock.instant();
        AttemptResult.Builder r = AttemptResult.newBuilder().setPromptId(routed.getPrompt().getPromptId())
                .setAttempt(routed.getAttempt()).setNodeId(routed.getNodeId())
                .setModelId(routed.getPrompt().getModelId()).setOutcome(outcome).setStartedAt(now).setFinishedAt(now);
        switch (outcome) {
            case COMPLETED -> r.setOutput(InlineContent.newBuilder().setMediaType("text/plain; charset=utf-8")
                            .setData(ByteBuffer.wrap("an answer".getBytes(StandardCharsets.UTF_8))).build())
                    .setMeasured(LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0)
                            .setQueueSeconds(0.01).setLoadWaitSeconds(0).setInferenceSeconds(0.2)
                            .setDownlinkSeconds(0).setTotalSeconds(0.21).build());
            case FAILED -> r.setReason(ReasonCode.RUNTIME_ERROR).setReasonText("the test responder failed it");
            case HANDED_BACK -> r.setReason(ReasonCode.OVERLOADED).setReasonText("the test responder handed it back");
        }
        return r.build();
    }
}
