package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.ClassWeight;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentPlan;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.RoutingPolicy;
import dev.edgeweave.v1.WindowSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The planner job on a Flink MiniCluster against the real in-JVM broker. Each test writes a recorded stream of
 * the city (prompts, completions, server states; event times chosen, so windows close as soon as the stream
 * has passed them) to topics of its own, runs the job over them, and reads what it wrote.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PlannerJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** A minute boundary a day ago: the broker refuses timestamps more than an hour ahead of its clock. */
    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofDays(1));
    static final List<Topic<?, ?>> TOPICS;

    static {
        List<Topic<?, ?>> all = new ArrayList<>(PlannerMain.INPUTS);
        all.addAll(PlannerMain.OUTPUTS);
        TOPICS = all;
    }

    /** Runs the job over topics named {@code prefix} + the standard names, reading them from the start. */
    static JobClient run(KafkaBroker broker, String prefix, PlannerSettings settings) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(broker.bootstrapServers(),
                        broker.uniqueName("planner"), PlannerMain.INPUTS.stream().map(t -> prefix + t.name()).toList(),
                        OffsetsInitializer.earliest(), new Properties()),
                PlannerJob.watermarks(settings), "city events");
        PlannerJob.build(events, KafkaIO.sink(broker.bootstrapServers(), new Properties(), prefix), settings);
        return env.executeAsync("planner-it");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRecordedStreamYieldsItsSummariesAndAPolicy(KafkaBroker broker) throws Exception {
        String prefix = broker.uniqueName("rec") + ".";
        CityRecords.createTopics(broker, prefix, TOPICS);
        JobClient job = run(broker, prefix, new PlannerSettings(Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(5),
                Duration.ofSeconds(3), 1));
        awaitRunning(job);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            // 60 s of city: chat every 0.5 s answered in 1.5 s, image generation every second answered in 8 s,
            // two servers reporting every second.
            for (int ms = 0; ms < 60_000; ms += 500) {
                Instant t = T0.plusMillis(ms);
                Prompt chat = CityRecords.prompt("c" + ms, "llama-3.1-8b-instruct", t, 100, 0);
                CityRecords.send(producer, prefix + Topics.PROMPTS.name(), chat.getPromptId(), chat, t);
                CityRecords.send(producer, prefix + Topics.PROMPT_COMPLETIONS.name(), chat.getPromptId(),
                        CityRecords.completion(chat, ModelClass.CHAT, "edge-a", 1.5), t.plusMillis(1500));
                if (ms % 1000 == 0) {
                    Prompt img = CityRecords.prompt("i" + ms, "sdxl-turbo", t, 0, 4);
                    CityRecords.send(producer, prefix + Topics.PROMPTS.name(), img.getPromptId(), img, t);
                    CityRecords.send(producer, prefix + Topics.PROMPT_COMPLETIONS.name(), img.getPromptId(),
                            CityRecords.completion(img, ModelClass.IMAGE_GENERATION, "edge-b", 8), t.plusMillis(8000));
                }
                if (ms % 1000 == 0) {
                    CityRecords.send(producer, prefix + Topics.NODE_STATE.name(), "edge-a",
                            CityRecords.state("edge-a", t, ms, 2, 0.5, "llama-3.1-8b-instruct"), t);
                    CityRecords.send(producer, prefix + Topics.NODE_STATE.name(), "edge-b",
                            CityRecords.state("edge-b", t, ms, 6, 0.9, "sdxl-turbo"), t);
                }
            }
            // Bad input: not Avro, on two topics. Skipped and counted; the windows still close.
            producer.send(new ProducerRecord<>(prefix + Topics.PROMPTS.name(), "bad".getBytes(), "garbage".getBytes()));
            producer.send(new ProducerRecord<>(prefix + Topics.NODE_STATE.name(), "bad".getBytes(), new byte[] {1, 2}));
            // Time moves on: a record two minutes later on every input partition carries every partition's
            // watermark past the recording.
            CityRecords.closing(producer, prefix, T0.plusSeconds(120));
            CityRecords.checkSent(producer);
        }
        // Idleness far longer than the test: a partition read late must not be skipped as idle (its events
        // would come after their windows closed).

        String summaries = prefix + Topics.WINDOW_SUMMARIES.name();
        String policies = prefix + Topics.ROUTING_POLICY.name();
        String decisions = prefix + Topics.AGENT_DECISIONS.name();
        try (CityRecords.Reader reader = new CityRecords.Reader(broker, List.of(summaries, policies, decisions))) {
            reader.until("the city summaries of the six windows and their policies", Duration.ofSeconds(60),
                    alive(job, () -> reader.all(summaries).stream().filter(r -> r.key().endsWith("/CITY/city")).count() >= 6
                            && reader.all(policies).size() >= 6));
            // Window [10 s, 20 s): 20 chat arrivals and 20 completions (those created in [8.5 s, 18.5 s)); 10 image
            // arrivals, and 10 completions (created in [2 s, 12 s)).
            long end = T0.plusSeconds(20).toEpochMilli();
            WindowSummary city = summary(reader.all(summaries), end + "/CITY/city");
            assertEquals(30, city.getArrivals());
            assertEquals(30, city.getCompleted());
            assertEquals(0, city.getRejected());
            assertEquals((20 * 1.5 + 10 * 8) / 30.0, city.getMeanLatencySeconds(), 1e-9);
            assertTrue(city.getNormalizedJainSlowdown() < 0.9, "image generation is served far worse: "
                    + city.getNormalizedJainSlowdown());
            WindowSummary image = summary(reader.all(summaries), end + "/MODEL_CLASS/IMAGE_GENERATION");
            assertEquals(8, image.getP95LatencySeconds(), 0.02 * 8);
            assertEquals(1.0, image.getSloAttainment());
            WindowSummary edgeB = summary(reader.all(summaries), end + "/NODE/edge-b");
            assertEquals(6.0, edgeB.getMeanQueued());
            assertEquals(0.9, edgeB.getUtilisation(), 1e-9);

            // The short-term agent lifts the worse-served class.
            RoutingPolicy last = AvroCodec.of(RoutingPolicy.class).decode(reader.all(policies)
                    .get(reader.all(policies).size() - 1).value());
            assertTrue(weight(last, ModelClass.IMAGE_GENERATION) > weight(last, ModelClass.CHAT),
                    "policy " + last.getClassWeights());
            assertTrue(reader.all(policies).stream().allMatch(r -> r.key().equals("city")));
            reader.until("the short-term agent's decisions", Duration.ofSeconds(10), () -> reader.all(decisions).stream()
                    .anyMatch(r -> r.key().equals("SHORT_TERM_SCHEDULING")));
            AgentDecision d = reader.all(decisions).stream().filter(r -> r.key().equals("SHORT_TERM_SCHEDULING"))
                    .map(r -> AvroCodec.of(AgentDecision.class).decode(r.value())).findFirst().orElseThrow();
            assertTrue(d.getSituation().contains("class CHAT") && d.getSituationDigest().length() == 64, d.getSituation());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDemandShiftYieldsAPlanThatMovesModels(KafkaBroker broker) throws Exception {
        String prefix = broker.uniqueName("shift") + ".";
        CityRecords.createTopics(broker, prefix, TOPICS);
        PlannerSettings s = new PlannerSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(3), 1);
        JobClient job = run(broker, prefix, s);
        awaitRunning(job);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            // 8 minutes: both servers hold the chat model; chat only for 4 minutes, then mostly image generation.
            for (int ms = 0; ms < 480_000; ms += 500) {
                Instant t = T0.plusMillis(ms);
                boolean shifted = ms >= 240_000;
                if (!shifted || ms % 5000 == 0) {
                    Prompt chat = CityRecords.prompt("c" + ms, "llama-3.1-8b-instruct", t, 100, 0);
                    CityRecords.send(producer, prefix + Topics.PROMPTS.name(), chat.getPromptId(), chat, t);
                }
                if (shifted) {
                    Prompt img = CityRecords.prompt("i" + ms, "sdxl-turbo", t, 0, 4);
                    CityRecords.send(producer, prefix + Topics.PROMPTS.name(), img.getPromptId(), img, t);
                }
                if (ms % 1000 == 0) {
                    for (String node : List.of("edge-a", "edge-b")) {
                        CityRecords.send(producer, prefix + Topics.NODE_STATE.name(), node,
                                CityRecords.state(node, t, ms, 1, 0.6, "llama-3.1-8b-instruct"), t);
                    }
                }
            }
            CityRecords.closing(producer, prefix, T0.plusSeconds(600));
            CityRecords.checkSent(producer);
        }

        String plans = prefix + Topics.DEPLOYMENT_PLANS.name();
        String commands = prefix + Topics.DEPLOYMENT_COMMANDS.name();
        try (CityRecords.Reader reader = new CityRecords.Reader(broker, List.of(plans, commands))) {
            reader.until("a plan placing the image model, and its load command", Duration.ofSeconds(60), alive(job, () ->
                    reader.all(plans).stream().map(r -> AvroCodec.of(DeploymentPlan.class).decode(r.value()))
                            .anyMatch(p -> p.getPlacements().stream().anyMatch(x -> x.getModelId().equals("sdxl-turbo")))
                            && reader.all(commands).stream().map(r -> AvroCodec.of(DeploymentCommand.class)
                            .decode(r.value())).anyMatch(c -> c.getAction() == DeploymentAction.LOAD
                            && c.getModelId().equals("sdxl-turbo"))));
            List<DeploymentPlan> all = reader.all(plans).stream()
                    .map(r -> AvroCodec.of(DeploymentPlan.class).decode(r.value())).toList();
            DeploymentPlan before = all.stream().filter(p -> p.getIssuedAt().isBefore(T0.plusSeconds(240)))
                    .reduce((a, b) -> b).orElseThrow();
            assertTrue(before.getPlacements().stream().noneMatch(x -> x.getModelId().equals("sdxl-turbo")),
                    "no image model before the shift: " + before.getPlacements());
            for (ConsumerRecord<String, byte[]> r : reader.all(commands)) {
                DeploymentCommand c = AvroCodec.of(DeploymentCommand.class).decode(r.value());
                assertEquals(c.getNodeId(), r.key(), "commands keyed by node");
                assertTrue(c.getCommandId().startsWith(c.getPlanId() + "/" + c.getNodeId() + "/"), c.getCommandId());
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits until {@code job} runs: its source then holds every partition before the test writes a record, so
     * no partition's events can arrive after a window another partition's watermark already closed.
     */
    static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get(10, TimeUnit.SECONDS) != org.apache.flink.api.common.JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job did not start within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** {@code condition}, failing at once with the job's own error if the job stopped. */
    static java.util.function.BooleanSupplier alive(JobClient job, java.util.function.BooleanSupplier condition) {
        return () -> {
            try {
                org.apache.flink.api.common.JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    try {
                        job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("the job stopped: " + status, e);
                    }
                    throw new AssertionError("the job stopped: " + status);
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("cannot read the job's status", e);
            }
            return condition.getAsBoolean();
        };
    }

    static WindowSummary summary(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> r.key().equals(key)).map(r -> AvroCodec.of(WindowSummary.class)
                .decode(r.value())).findFirst().orElseThrow(() -> new AssertionError("no summary " + key + " among "
                + records.stream().map(ConsumerRecord::key).toList()));
    }

    static double weight(RoutingPolicy p, ModelClass c) {
        return p.getClassWeights().stream().filter(w -> w.getModelClass() == c).map(ClassWeight::getWeight)
                .findFirst().orElse(1.0);
    }
}
