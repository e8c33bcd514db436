package dev.edgeweave.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgeweave.config.Settings;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.RoutedPrompt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The app as {@code main} runs it, on the real in-JVM broker with the standard topic names: it creates its
 * topics, reports {@code /health} 200 once running, routes a prompt, shows it in {@code /metrics}, and on
 * close stops Kafka Streams and its HTTP endpoints.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SchedulerAppIT {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void startsRoutesServesHealthAndMetricsAndStopsOnClose(KafkaBroker broker) throws Exception {
        String applicationId = broker.uniqueName("scheduler-app");
        String node = broker.uniqueName("edge");
        Path stateDir = Path.of("target", "streams-state", applicationId).toAbsolutePath();
        Settings settings = Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), Map.of(),
                SchedulerConfig.ENV_PREFIX).withOverrides(Map.of(
                SchedulerConfig.BOOTSTRAP, broker.bootstrapServers(),
                SchedulerConfig.APPLICATION_ID, applicationId,
                SchedulerConfig.HTTP_PORT, "0",
                SchedulerConfig.STATE_DIR, stateDir.toString()));
        String nodeTopic = broker.createTopic(Topics.nodePrompts(node).name(), 1); // as its connector would
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        SchedulerApp app = SchedulerApp.start(settings);
        URI base = URI.create("http://127.0.0.1:" + app.httpPort());
        try {
            awaitHealthy(http, base.resolve("/health"));

            Instant now = Instant.now();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
                producer.send(new ProducerRecord<>(Topics.NODE_STATE.name(), bytes(node), AvroCodec.of(NodeState.class)
                        .encode(heartbeat(node, now)))).get(10, TimeUnit.SECONDS);
                String id = broker.uniqueName("p");
                Prompt prompt = SchedulerFixture.prompt(id).setCreatedAt(now).build();
                // The heartbeat may reach the global store after the prompt: send the prompt until it is routed.
                RoutedPrompt routed = null;
                try (KafkaConsumer<byte[], byte[]> consumer = reader(broker, nodeTopic)) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    int n = 0;
                    while (routed == null) {
                        if (System.nanoTime() - deadline > 0) {
                            fail("no prompt routed to " + nodeTopic + " within 30 s");
                        }
                        if (app.counters().routed() == 0 && app.counters().rejected(dev.edgeweave.v1.ReasonCode.NO_CAPACITY) == n) {
                            Prompt p = Prompt.newBuilder(prompt).setPromptId(id + "-" + n).build();
                            producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), bytes(p.getPromptId()),
                                    AvroCodec.of(Prompt.class).encode(p))).get(10, TimeUnit.SECONDS);
                            n++;
                        }
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            routed = AvroCodec.of(RoutedPrompt.class).decode(r.value());
                        }
                    }
                }
                assertEquals(node, routed.getNodeId());
                assertEquals(1, routed.getAttempt());
            }

            HttpResponse<String> metrics = get(http, base.resolve("/metrics"));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().lines().anyMatch(l -> l.equals("scheduler_prompts_routed_total 1.0")),
                    metrics.body());
            assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("scheduler_decision_seconds_count ")),
                    metrics.body());
            assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("scheduler_inflight_prompts ")),
                    metrics.body());
        } finally {
            app.close();
        }
        assertEquals(KafkaStreams.State.NOT_RUNNING, app.state());
        assertEquals(0, app.awaitStop(), "a close is a clean stop");
        assertThrows(IOException.class, () -> get(http, base.resolve("/health")), "the endpoints stop with the app");
    }

    private static void awaitHealthy(HttpClient http, URI health) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        int status = get(http, health).statusCode();
        while (status != 200) {
            assertEquals(503, status, "not running yet is 503");
            if (System.nanoTime() - deadline > 0) {
                fail("/health still " + status + " after 40 s");
            }
            Thread.sleep(50);
            status = get(http, health).statusCode();
        }
    }

    private static NodeState heartbeat(String node, Instant now) {
        long memory = GpuCatalog.standard().require("a100-40gb").memoryBytes();
        return NodeState.newBuilder().setNodeId(node).setSiteId("site-1").setHeartbeatAt(now).setSequence(1)
                .setStorageBytesPerSecond(0.5e9)
                .setGpus(List.of(GpuState.newBuilder().setIndex(0).setGpuType("a100-40gb").setMemoryBytes(memory)
                        .setMemoryUsedBytes(memory).setUtilisation(0).build()))
                .setDeployments(List.of(DeploymentState.newBuilder().setModelId(SchedulerFixture.CHAT).setGpuIndex(0)
                        .setStatus(DeploymentStatus.READY).setConcurrency(8).setQueued(0).setRunning(0)
                        .setMeanServiceSeconds(1.0)
                        .setMemoryBytes(ModelCatalog.standard().require(SchedulerFixture.CHAT).memoryBytes()).build()))
                .build();
    }

    private static KafkaConsumer<byte[], byte[]> reader(KafkaBroker broker, String topic) {
        Properties props = broker.consumerProps(broker.uniqueName("app-it"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        TopicPartition p = new TopicPartition(topic, 0);
        consumer.assign(List.of(p));
        consumer.seekToBeginning(List.of(p));
        return consumer;
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
