package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.config.Settings;
import dev.edgeweave.connector.ConnectorConfig;
import dev.edgeweave.connector.NodeConnector;
import dev.edgeweave.connector.runtime.EmulatedRuntime;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.scheduler.CityState;
import dev.edgeweave.scheduler.SchedulerApp;
import dev.edgeweave.scheduler.SchedulerConfig;
import dev.edgeweave.scheduler.SchedulerCounters;
import dev.edgeweave.scheduler.SchedulerTopology;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agents see telemetry and aggregates only (DESIGN.md, "Agents"): a marker planted in every string field of
 * {@code Prompt} a client controls (prompt id, user id, access point id, the content; the model id must name a
 * catalog model) never reaches what an agent is asked, an {@code AgentDecision}, or a log line. The whole live
 * path runs: the scheduler (Kafka Streams), two connectors (emulated GPUs) whose on-node agents run on the
 * LLM brain, and the planner (Flink) whose two agents run on the LLM brain, on a city clock 10× the wall clock.
 *
 * <p>No language model is reachable from the machines that run this test: a scripted HTTP server speaking the
 * OpenAI chat-completions API stands in for one. It records every request body (the rendered prompts) and
 * answers each agent with a fixed well-formed decision (keep the weights; an empty plan, which the guard
 * refuses; no on-node action), through the real OpenAI client of {@code ChatModels}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AgentIsolationIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String MARKER = "ZQ-PLANTED-7731";
    static final double SPEEDUP = 10;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aMarkerInEveryPromptFieldReachesNoAgentNoDecisionAndNoLog(KafkaBroker broker) throws Exception {
        List<String> logLines = new CopyOnWriteArrayList<>();
        AbstractAppender capture = capture(logLines);
        List<String> modelRequests = new CopyOnWriteArrayList<>();
        HttpServer model = scriptedModel(modelRequests);
        String baseUrl = "http://127.0.0.1:" + model.getAddress().getPort() + "/v1";
        CityClock clock = CityClock.system(Instant.now(), SPEEDUP);
        try (Admin admin = Admin.create(broker.adminProps())) {
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(Topics.ALL);
        }
        KafkaStreams scheduler = scheduler(broker, clock);
        List<NodeConnector> connectors = new ArrayList<>();
        List<String> nodes = List.of(broker.uniqueName("edge-i1"), broker.uniqueName("edge-i2"));
        JobClient planner = null;
        try {
            for (String node : nodes) {
                NodeConnector c = new NodeConnector(connectorConfig(broker, node, clock, baseUrl),
                        ModelCatalog.standard(), (cfg, n, l) -> new EmulatedRuntime(cfg.server(), n, l));
                c.start();
                connectors.add(c);
            }
            planner = planner(broker, baseUrl);
            Set<String> ids = new HashSet<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps());
                 CityRecords.Reader reader = new CityRecords.Reader(broker, List.of(Topics.PROMPT_COMPLETIONS.name(),
                         Topics.PROMPT_REJECTIONS.name(), Topics.AGENT_DECISIONS.name(), Topics.PROMPTS.name()))) {
                for (String node : nodes) {
                    Instant now = clock.instant();
                    CityRecords.send(producer, Topics.DEPLOYMENT_COMMANDS.name(), node, DeploymentCommand.newBuilder()
                            .setCommandId(node + "-load").setPlanId("manual").setNodeId(node)
                            .setAction(DeploymentAction.LOAD).setModelId("llama-3.2-3b-instruct").setGpuIndex(null)
                            .setConcurrency(4).setIssuedAt(now).build(), now);
                }
                for (int i = 0; i < 40; i++) {
                    Instant now = clock.instant();
                    Prompt p = marked(i, now);
                    ids.add(p.getPromptId());
                    CityRecords.send(producer, Topics.PROMPTS.name(), p.getPromptId(), p, now);
                    Thread.sleep(100);
                }
                CityRecords.checkSent(producer);
                JobClient job = planner;
                reader.until("every marked prompt ended, and each agent asked its model", Duration.ofSeconds(120),
                        PlannerJobIT.alive(job, () -> {
                            Set<String> ended = new HashSet<>();
                            reader.all(Topics.PROMPT_COMPLETIONS.name()).forEach(r -> ended.add(r.key()));
                            reader.all(Topics.PROMPT_REJECTIONS.name()).forEach(r -> ended.add(r.key()));
                            return ended.containsAll(ids) && asked(modelRequests, "short-term scheduling agent")
                                    && asked(modelRequests, "long-term planning agent")
                                    && asked(modelRequests, "on-node deployment agent");
                        }));
                // The marker was planted: the prompts topic carries it.
                assertTrue(reader.all(Topics.PROMPTS.name()).stream().anyMatch(r ->
                        new String(r.value(), StandardCharsets.ISO_8859_1).contains(MARKER)), "the marker is planted");
                for (String body : modelRequests) {
                    assertFalse(body.contains(MARKER), "a rendered agent prompt holds the marker");
                }
                List<ConsumerRecord<String, byte[]>> decisions = reader.all(Topics.AGENT_DECISIONS.name());
                assertTrue(decisions.size() >= 3, decisions.size() + " agent decisions");
                for (ConsumerRecord<String, byte[]> r : decisions) {
                    AgentDecision d = AvroCodec.of(AgentDecision.class).decode(r.value());
                    assertFalse(d.toString().contains(MARKER), "an AgentDecision holds the marker: " + d.getAgent());
                }
            }
        } finally {
            if (planner != null) {
                planner.cancel().get(30, TimeUnit.SECONDS);
            }
            for (NodeConnector c : connectors) {
                c.close();
            }
            scheduler.close(Duration.ofSeconds(30));
            model.stop(0);
            detach(capture);
        }
        assertTrue(logLines.size() > 0, "the log was captured");
        for (String line : logLines) {
            assertFalse(line.contains(MARKER), "a log line holds the marker: " + line);
        }
    }

    /** A prompt with the marker in every string field a client controls. */
    static Prompt marked(int i, Instant at) {
        return Prompt.newBuilder().setPromptId("p-" + i + "-" + MARKER).setModelId("llama-3.2-3b-instruct")
                .setUserId("user-" + MARKER).setAccessPointId("ap-" + MARKER).setSloSeconds(600).setCreatedAt(at)
                .setSizes(PromptSizes.newBuilder().setInputTokens(100).setOutputTokens(30).setInputBytes(400L).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain; charset=" + MARKER)
                        .setData(ByteBuffer.wrap(("tell me about " + MARKER).getBytes(StandardCharsets.UTF_8))).build())
                .build();
    }

    private static boolean asked(List<String> requests, String agent) {
        return requests.stream().anyMatch(b -> b.contains(agent));
    }

    private static KafkaStreams scheduler(KafkaBroker broker, CityClock clock) throws IOException {
        Settings s = Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), Map.of(), SchedulerConfig.ENV_PREFIX)
                .withOverrides(Map.of(SchedulerConfig.BOOTSTRAP, broker.bootstrapServers(),
                        SchedulerConfig.APPLICATION_ID, broker.uniqueName("isolation"),
                        SchedulerConfig.CITY_SPEEDUP, Double.toString(SPEEDUP),
                        SchedulerConfig.CITY_START, clock.start().toString(),
                        SchedulerConfig.HEARTBEAT_TIMEOUT, "30s",
                        SchedulerConfig.STATE_DIR, Files.createTempDirectory("isolation-streams").toString()));
        SchedulerConfig c = SchedulerConfig.from(s);
        Properties props = SchedulerApp.streamsProperties(s);
        KafkaStreams streams = new KafkaStreams(SchedulerTopology.build(SchedulerTopology.Names.standard(),
                ModelCatalog.standard(), new CityState(GpuCatalog.standard(), c.nodes()), Optional.empty(),
                c.scheduler(), c.cityClock(), new SchedulerCounters()), props);
        streams.start();
        return streams;
    }

    private static ConnectorConfig connectorConfig(KafkaBroker broker, String node, CityClock clock, String baseUrl) {
        Settings s = Settings.load(ConnectorConfig.DEFAULTS, Optional.empty(), Map.of(), ConnectorConfig.ENV_PREFIX)
                .withOverrides(Map.of(ConnectorConfig.BOOTSTRAP, broker.bootstrapServers(),
                        ConnectorConfig.NODE_ID, node, ConnectorConfig.GPUS, "a100-40gb",
                        ConnectorConfig.CITY_SPEEDUP, Double.toString(SPEEDUP),
                        ConnectorConfig.CITY_START, clock.start().toString(), ConnectorConfig.HTTP_PORT, "0",
                        AgentsConfig.DEPLOYMENT_BRAIN, "llm", AgentsConfig.LLM_BASE_URL, baseUrl,
                        AgentsConfig.LLM_MODEL, "scripted"));
        return ConnectorConfig.from(s, GpuCatalog.standard());
    }

    private static JobClient planner(KafkaBroker broker, String baseUrl) throws Exception {
        PlannerSettings s = new PlannerSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(20),
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30), 1)
                .withAgents(AgentsConfig.allLlm("openai", baseUrl, "scripted"));
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(broker.bootstrapServers(),
                        broker.uniqueName("isolation-planner"), PlannerMain.INPUTS.stream().map(t -> t.name()).toList(),
                        OffsetsInitializer.earliest(), new Properties()), PlannerJob.watermarks(s), "city events");
        PlannerJob.build(events, KafkaIO.sink(broker.bootstrapServers(), new Properties()), s);
        return env.executeAsync("isolation-it");
    }

    /**
     * The scripted stand-in for a model server: OpenAI's {@code POST /v1/chat/completions}, answering each agent
     * (told apart by its system message) with a fixed decision, and recording every request body.
     */
    private static HttpServer scriptedModel(List<String> requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                requests.add(body);
                String answer = body.contains("short-term scheduling agent")
                        ? "{\"weights\": [], \"rationale\": \"keep the weights\"}"
                        : body.contains("long-term planning agent")
                        ? "{\"deployments\": [], \"rationale\": \"an empty plan\"}"
                        : "{\"actions\": [], \"deferred\": [], \"rationale\": \"nothing to change\"}";
                String json = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"scripted\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + quote(answer) + "},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
                byte[] out = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        });
        server.start();
        return server;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Every log event of the JVM at the levels the components log at (INFO and above), formatted, into {@code lines}. */
    private static AbstractAppender capture(List<String> lines) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        AbstractAppender a = new AbstractAppender("marker-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                lines.add(e.getLoggerName() + " " + e.getMessage().getFormattedMessage()
                        + (e.getThrown() != null ? " " + e.getThrown() : ""));
            }
        };
        a.start();
        ctx.getConfiguration().getRootLogger().addAppender(a, Level.INFO, null);
        ctx.getConfiguration().getLoggerConfig("dev.edgeweave").addAppender(a, Level.INFO, null);
        ctx.updateLoggers();
        return a;
    }

    private static void detach(AbstractAppender a) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(a.getName());
        ctx.getConfiguration().getLoggerConfig("dev.edgeweave").removeAppender(a.getName());
        ctx.updateLoggers();
        a.stop();
    }
}
