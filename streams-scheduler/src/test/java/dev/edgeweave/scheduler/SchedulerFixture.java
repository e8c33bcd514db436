package dev.edgeweave.scheduler;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.sim.MutableClock;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.PromptSizes;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import dev.edgeweave.v1.RoutingPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A scheduler topology under {@link TopologyTestDriver} with two servers, {@code edge-1} (an A100) and
 * {@code edge-2} (a Jetson AGX Orin), and helpers to feed prompts, node states and results and to read what
 * comes out. Telemetry is written by hand here: the connectors that publish it are another component.
 */
final class SchedulerFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final String CHAT = "llama-3.1-8b-instruct";
    static final ModelCatalog MODELS = ModelCatalog.standard();
    static final GpuCatalog GPUS = GpuCatalog.standard();
    static final SchedulerTopology.Names NAMES = SchedulerTopology.Names.standard();

    final MutableClock clock = new MutableClock(T0);
    final SchedulerCounters counters = new SchedulerCounters();
    final CityState city;
    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> prompts;
    final TestInputTopic<byte[], byte[]> results;
    final TestInputTopic<String, byte[]> nodeState;
    final TestInputTopic<String, byte[]> policy;
    private final Map<String, Long> sequence = new HashMap<>();

    SchedulerFixture() {
        this(Set.of("edge-1", "edge-2"));
    }

    SchedulerFixture(Set<String> servers) {
        city = new CityState(GPUS, servers);
        topology = SchedulerTopology.build(NAMES, MODELS, city, Optional.empty(), SchedulerSettings.DEFAULTS, clock,
                counters);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scheduler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        driver = new TopologyTestDriver(topology, props, T0);
        prompts = driver.createInputTopic(NAMES.prompts(), new ByteArraySerializer(), new ByteArraySerializer());
        results = driver.createInputTopic(NAMES.results(), new ByteArraySerializer(), new ByteArraySerializer());
        nodeState = driver.createInputTopic(NAMES.nodeState(), new StringSerializer(), new ByteArraySerializer());
        policy = driver.createInputTopic(NAMES.policy(), new StringSerializer(), new ByteArraySerializer());
    }

    /** Both servers up, both holding the chat model, idle. */
    static SchedulerFixture twoServersHoldingChat() {
        SchedulerFixture f = new SchedulerFixture();
        f.heartbeat("edge-1", "a100-40gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
        f.heartbeat("edge-2", "jetson-agx-orin-64gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
        return f;
    }

    static DeploymentState deployment(String model, DeploymentStatus status, int queued, int running) {
        return DeploymentState.newBuilder().setModelId(model).setGpuIndex(0).setStatus(status).setConcurrency(8)
                .setQueued(queued).setRunning(running).setMeanServiceSeconds(1.0)
                .setMemoryBytes(MODELS.require(model).memoryBytes()).build();
    }

    /** A heartbeat of {@code node} at the clock's time, with one GPU of {@code gpuType}. */
    void heartbeat(String node, String gpuType, DeploymentState... deployments) {
        long used = 0;
        for (DeploymentState d : deployments) {
            used += d.getMemoryBytes();
        }
        long memory = GPUS.require(gpuType).memoryBytes();
        NodeState state = NodeState.newBuilder().setNodeId(node).setSiteId("site-" + node)
                .setHeartbeatAt(clock.instant()).setSequence(sequence.merge(node, 1L, Long::sum))
                .setStorageBytesPerSecond(0.5e9)
                .setGpus(List.of(GpuState.newBuilder().setIndex(0).setGpuType(gpuType).setMemoryBytes(memory)
                        .setMemoryUsedBytes(used).setUtilisation(0.0).build()))
                .setDeployments(List.of(deployments)).build();
        nodeState.pipeInput(node, AvroCodec.of(NodeState.class).encode(state), clock.instant());
    }

    void policy(RoutingPolicy p) {
        policy.pipeInput(Topics.CITY_KEY, AvroCodec.of(RoutingPolicy.class).encode(p), clock.instant());
    }

    static Prompt.Builder prompt(String id) {
        return Prompt.newBuilder().setPromptId(id).setModelId(CHAT).setUserId("user-1").setAccessPointId("ap-1")
                .setSloSeconds(30).setCreatedAt(T0)
                .setSizes(PromptSizes.newBuilder().setInputTokens(400).setOutputTokens(100).setInputBytes(1600).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain; charset=utf-8")
                        .setData(ByteBuffer.wrap("a secret question".getBytes(StandardCharsets.UTF_8))).build());
    }

    void send(Prompt p) {
        prompts.pipeInput(p.getPromptId().getBytes(StandardCharsets.UTF_8), AvroCodec.of(Prompt.class).encode(p),
                clock.instant());
    }

    void sendRaw(String key, byte[] value) {
        prompts.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, clock.instant());
    }

    /** A raw record with headers, as a producer that tags its records sends it. */
    void sendRaw(String key, byte[] value, org.apache.kafka.common.header.Headers headers) {
        prompts.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers, clock.instant()));
    }

    void result(String promptId, int attempt, String node, AttemptOutcome outcome, ReasonCode reason) {
        AttemptResult.Builder r = AttemptResult.newBuilder().setPromptId(promptId).setAttempt(attempt).setNodeId(node)
                .setModelId(CHAT).setOutcome(outcome).setReason(reason).setStartedAt(clock.instant())
                .setFinishedAt(clock.instant());
        if (outcome == AttemptOutcome.COMPLETED) {
            r.setOutput(InlineContent.newBuilder().setMediaType("text/plain; charset=utf-8")
                    .setData(ByteBuffer.wrap("an answer".getBytes(StandardCharsets.UTF_8))).build())
                    .setMeasured(LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0).setQueueSeconds(0.2)
                            .setLoadWaitSeconds(0).setInferenceSeconds(1.1).setDownlinkSeconds(0).setTotalSeconds(1.3)
                            .build());
        }
        results.pipeInput(promptId.getBytes(StandardCharsets.UTF_8), AvroCodec.of(AttemptResult.class).encode(r.build()),
                clock.instant());
    }

    /** Moves the city clock and the driver's wall clock together (the punctuator runs on the wall clock). */
    void advance(Duration d) {
        clock.advance(d);
        driver.advanceWallClockTime(d);
    }

    List<RoutedPrompt> routedTo(String node) {
        TestOutputTopic<String, RoutedPrompt> out = driver.createOutputTopic(Topics.nodePrompts(node).name(),
                Topics.PROMPTS.keySerde().deserializer(), Topics.nodePrompts(node).valueSerde().deserializer());
        return out.readValuesToList();
    }

    List<PromptCompletion> completions() {
        return driver.createOutputTopic(NAMES.completions(), Topics.PROMPT_COMPLETIONS.keySerde().deserializer(),
                Topics.PROMPT_COMPLETIONS.valueSerde().deserializer()).readValuesToList();
    }

    List<PromptRejection> rejections() {
        return driver.createOutputTopic(NAMES.rejections(), Topics.PROMPT_REJECTIONS.keySerde().deserializer(),
                Topics.PROMPT_REJECTIONS.valueSerde().deserializer()).readValuesToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return new ArrayList<>(driver.createOutputTopic(NAMES.deadLetters(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList());
    }

    @Override
    public void close() {
        driver.close();
    }
}
