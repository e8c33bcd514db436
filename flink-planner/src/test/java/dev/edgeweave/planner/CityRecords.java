package dev.edgeweave.planner;

import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptSizes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Builders of the city's records for the planner's tests, and a small Kafka kit around them. */
final class CityRecords {

    static final long GB = 1_000_000_000L;

    private CityRecords() {
    }

    static Prompt prompt(String id, String model, Instant at, int outputTokens, int steps) {
        return Prompt.newBuilder().setPromptId(id).setModelId(model).setUserId("u").setAccessPointId("ap-1")
                .setSloSeconds(30).setCreatedAt(at)
                .setSizes(PromptSizes.newBuilder().setInputTokens(steps > 0 ? 30 : 200).setOutputTokens(outputTokens)
                        .setSteps(steps).setOutputPixels(steps > 0 ? 512L * 512 : 0).setInputBytes(800L).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain")
                        .setData(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8))).build())
                .build();
    }

    static PromptCompletion completion(Prompt p, ModelClass cls, String node, double latency) {
        Instant done = p.getCreatedAt().plusMillis(Math.round(latency * 1000));
        return PromptCompletion.newBuilder().setPromptId(p.getPromptId()).setModelId(p.getModelId()).setModelClass(cls)
                .setUserId("u").setAccessPointId("ap-1").setNodeId(node).setAttempts(1).setSloSeconds(p.getSloSeconds())
                .setCreatedAt(p.getCreatedAt()).setCompletedAt(done)
                .setLatency(LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0).setQueueSeconds(0)
                        .setLoadWaitSeconds(0).setInferenceSeconds(latency / 2).setDownlinkSeconds(0)
                        .setTotalSeconds(latency).build())
                .setOutput(InlineContent.newBuilder().setMediaType("text/plain").setData(ByteBuffer.allocate(0)).build())
                .build();
    }

    /** A one-GPU A100 server's state, holding {@code models} READY on GPU 0. */
    static NodeState state(String node, Instant at, long sequence, int queued, double util, String... models) {
        List<DeploymentState> ds = new ArrayList<>();
        for (String m : models) {
            ds.add(DeploymentState.newBuilder().setModelId(m).setGpuIndex(0).setStatus(DeploymentStatus.READY)
                    .setReadyAt(null).setConcurrency(4).setQueued(queued).setRunning(1).setMeanServiceSeconds(1)
                    .setMemoryBytes(6 * GB).setShareWeight(1.0).setReason(null).build());
        }
        return NodeState.newBuilder().setNodeId(node).setSiteId("site-" + node).setHeartbeatAt(at).setSequence(sequence)
                .setStorageBytesPerSecond(2e9)
                .setGpus(List.of(GpuState.newBuilder().setIndex(0).setGpuType("a100-40gb").setMemoryBytes(40 * GB)
                        .setMemoryUsedBytes(6L * GB * models.length).setUtilisation(util).build()))
                .setDeployments(ds).setDraining(false).build();
    }

    /** Topics named {@code prefix} + the standard names. */
    static void createTopics(KafkaBroker broker, String prefix, List<Topic<?, ?>> topics) throws Exception {
        List<Topic<?, ?>> renamed = new ArrayList<>();
        for (Topic<?, ?> t : topics) {
            renamed.add(new Topic<>(prefix + t.name(), t.keySerde(), t.valueSerde(), t.partitions(), t.configs()));
        }
        try (Admin admin = Admin.create(broker.adminProps())) {
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(renamed);
        }
        // One throw-away record per input partition, acknowledged before the test writes its own: right after a topic's
        // creation the broker may refuse a first batch NOT_LEADER_OR_FOLLOWER yet keep it, and the producer's retry
        // then writes it twice. The planner skips these records as undecodable.
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(broker.producerProps())) {
            for (Topic<?, ?> t : renamed) {
                if (PlannerMain.INPUTS.stream().noneMatch(in -> t.name().equals(prefix + in.name()))) {
                    continue; // the job's outputs: its own sink writes them, and a reader would see the record
                }
                for (int part = 0; part < t.partitions(); part++) {
                    p.send(new ProducerRecord<>(t.name(), part, 0L, "warm-up".getBytes(StandardCharsets.UTF_8),
                            "warm-up".getBytes(StandardCharsets.UTF_8))).get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * A valid record stamped {@code at} on every partition of every input topic (with {@code prefix}): each
     * partition's watermark then passes the recording, so its windows close without relying on idleness.
     */
    static void closing(KafkaProducer<byte[], byte[]> producer, String prefix, Instant at) {
        Prompt p = prompt("closing", "llama-3.1-8b-instruct", at, 10, 0);
        Map<String, byte[]> byTopic = new HashMap<>();
        byTopic.put(Topics.PROMPTS.name(), AvroCodec.of(Prompt.class).encode(p));
        byTopic.put(Topics.PROMPT_COMPLETIONS.name(), AvroCodec.of(PromptCompletion.class)
                .encode(completion(prompt("closing", "llama-3.1-8b-instruct", at.minusSeconds(1), 10, 0), ModelClass.CHAT,
                        "edge-a", 1.0)));
        byTopic.put(Topics.NODE_STATE.name(), AvroCodec.of(NodeState.class).encode(state("edge-closing", at, 0, 0, 0)));
        byTopic.put(Topics.NODE_RESULTS.name(), AvroCodec.of(dev.edgeweave.v1.AttemptResult.class).encode(
                dev.edgeweave.v1.AttemptResult.newBuilder().setPromptId("closing").setAttempt(1).setNodeId("edge-a")
                        .setModelId("llama-3.1-8b-instruct").setOutcome(dev.edgeweave.v1.AttemptOutcome.FAILED)
                        .setReason(dev.edgeweave.v1.ReasonCode.RUNTIME_ERROR).setReasonText("closing").setOutput(null)
                        .setMeasured(null).setStartedAt(at).setFinishedAt(at).build()));
        byTopic.put(Topics.PROMPT_REJECTIONS.name(), AvroCodec.of(dev.edgeweave.v1.PromptRejection.class).encode(
                dev.edgeweave.v1.PromptRejection.newBuilder().setPromptId("closing-r").setModelId("llama-3.1-8b-instruct")
                        .setModelClass(ModelClass.CHAT).setUserId("u").setAccessPointId("ap-1")
                        .setReason(dev.edgeweave.v1.ReasonCode.NO_CAPACITY).setReasonText("closing").setAttempts(0)
                        .setSloSeconds(30).setCreatedAt(at).setRejectedAt(at).build()));
        byTopic.put(Topics.NETWORK_TELEMETRY.name(), AvroCodec.of(dev.edgeweave.v1.LinkSample.class).encode(
                dev.edgeweave.v1.LinkSample.newBuilder().setFromId("ap-1").setFromKind(dev.edgeweave.v1.EndpointKind.ACCESS_POINT)
                        .setToId("edge-a").setRttMillis(5).setUplinkMbps(50).setDownlinkMbps(100).setMeasuredAt(at)
                        .setProbes(1).build()));
        for (Topic<?, ?> t : PlannerMain.INPUTS) {
            for (int part = 0; part < t.partitions(); part++) {
                producer.send(new ProducerRecord<>(prefix + t.name(), part, at.toEpochMilli(),
                        "closing".getBytes(StandardCharsets.UTF_8), byTopic.get(t.name())), (m, e) -> {
                            if (e != null) {
                                FAILED.compareAndSet(null, e);
                            }
                        });
            }
        }
    }

    /** The first send that failed, if any: a test checks {@link #checkSent} after flushing. */
    private static final java.util.concurrent.atomic.AtomicReference<Exception> FAILED =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Sends one encoded record stamped {@code at}; a failure shows in {@link #checkSent}. */
    static <T extends org.apache.avro.specific.SpecificRecord> void send(KafkaProducer<byte[], byte[]> producer,
                                                                       String topic, String key, T value, Instant at) {
        @SuppressWarnings("unchecked")
        AvroCodec<T> codec = (AvroCodec<T>) AvroCodec.of(value.getClass());
        producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8),
                codec.encode(value)), (m, e) -> {
                    if (e != null) {
                        FAILED.compareAndSet(null, e);
                    }
                });
    }

    /** Flushes {@code producer} and fails if any record sent through {@link #send} was refused. */
    static void checkSent(KafkaProducer<byte[], byte[]> producer) {
        producer.flush();
        Exception e = FAILED.getAndSet(null);
        if (e != null) {
            throw new AssertionError("a record was refused by the broker: " + e, e);
        }
    }

    /** A read_committed consumer of topics from their start, collecting every record by topic. */
    static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        final Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new HashMap<>();

        Reader(KafkaBroker broker, List<String> topics) {
            Properties p = broker.consumerProps(broker.uniqueName("reader"));
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(p);
            consumer.subscribe(topics);
        }

        List<ConsumerRecord<String, byte[]>> all(String topic) {
            return byTopic.getOrDefault(topic, List.of());
        }

        /** Polls until {@code done} holds or {@code timeout} passes (then fails naming {@code what}). */
        void until(String what, Duration timeout, BooleanSupplier done) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    byTopic.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r);
                }
                if (done.getAsBoolean()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
