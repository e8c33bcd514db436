package dev.edgeweave.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.Settings;
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
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import dev.edgeweave.v1.RoutedPrompt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connectors with the emulated runtime against the real in-JVM broker: deployment commands load models,
 * prompts are served and answered with a measured breakdown; a connector killed with prompts in flight serves
 * them again after a restart, and with the real scheduler downstream every prompt ends with one terminal
 * record.
 *
 * <p>The connectors use the standard topic names (the broker is this module's alone); every node id and prompt
 * id is fresh per test, and every check filters by them. Waits poll a condition against a deadline.
 */
@ExtendWith(KafkaBrokerExtension.class)
class NodeConnectorIT {

    private static final Logger LOG = LoggerFactory.getLogger(NodeConnectorIT.class);
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    /** City seconds per wall second: model loads of tens of city seconds take a few wall seconds. */
    private static final double SPEEDUP = 10;
    private static final String SLOW = "llama-3.1-8b-instruct";
    private static final String FAST = "llama-3.2-3b-instruct";

    private static ConnectorConfig config(KafkaBroker broker, String nodeId, Instant cityStart) {
        Settings s = Settings.load(ConnectorConfig.DEFAULTS, Optional.empty(), Map.of(), ConnectorConfig.ENV_PREFIX)
                .withOverrides(Map.of(ConnectorConfig.BOOTSTRAP, broker.bootstrapServers(),
                        ConnectorConfig.NODE_ID, nodeId, ConnectorConfig.GPUS, "a100-40gb",
                        ConnectorConfig.CITY_SPEEDUP, Double.toString(SPEEDUP),
                        ConnectorConfig.CITY_START, cityStart.toString(),
                        ConnectorConfig.EMULATED_LINKS, "ap-1=12.5/50/100",
                        // A real TCP probe: the broker's own port answers connects.
                        ConnectorConfig.PROBES, "probe-1=" + broker.bootstrapServers().split(",")[0],
                        ConnectorConfig.SHUTDOWN_TIMEOUT, "20s"));
        return ConnectorConfig.from(s, GpuCatalog.standard());
    }

    private static NodeConnector connector(ConnectorConfig c) {
        return new NodeConnector(c, MODELS, (cfg, node, listener) -> new EmulatedRuntime(cfg.server(), node, listener));
    }

    private static DeploymentCommand load(String id, String nodeId, String model, int slots, Instant at) {
        return DeploymentCommand.newBuilder().setCommandId(id).setPlanId("plan-" + id).setNodeId(nodeId)
                .setAction(DeploymentAction.LOAD).setModelId(model).setGpuIndex(null).setConcurrency(slots)
                .setIssuedAt(at).build();
    }

    private static Prompt prompt(String id, String model, int outputTokens, Instant createdAt) {
        return Prompt.newBuilder().setPromptId(id).setModelId(model).setUserId("user-1").setAccessPointId("ap-1")
                .setSloSeconds(600).setCreatedAt(createdAt)
                .setSizes(PromptSizes.newBuilder().setInputTokens(200).setOutputTokens(outputTokens)
                        .setInputBytes(800L).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain")
                        .setData(ByteBuffer.wrap("a question".getBytes(StandardCharsets.UTF_8))).build())
                .build();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void commandsLoadModelsAndPromptsAreAnsweredWithTheirMeasuredBreakdown(KafkaBroker broker) throws Exception {
        String nodeId = broker.uniqueName("edge");
        CityClock clock = CityClock.system(Instant.now(), SPEEDUP);
        NodeConnector c = connector(config(broker, nodeId, clock.start()));
        c.start();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps());
             Reader reader = new Reader(broker, List.of(Topics.NODE_RESULTS.name(), Topics.NODE_STATE.name(),
                     Topics.AGENT_DECISIONS.name(), Topics.NETWORK_TELEMETRY.name()))) {
            Instant now = clock.instant();
            send(producer, Topics.DEPLOYMENT_COMMANDS.name(), nodeId, AvroCodec.of(DeploymentCommand.class)
                    .encode(load(nodeId + "-c1", nodeId, SLOW, 4, now)));
            // Bad input on both topics: a command of an unknown model, undecodable bytes for the server.
            send(producer, Topics.DEPLOYMENT_COMMANDS.name(), nodeId, AvroCodec.of(DeploymentCommand.class)
                    .encode(load(nodeId + "-c2", nodeId, "no-such-model", 1, now)));
            String topic = Topics.nodePrompts(nodeId).name();
            send(producer, topic, "garbage", "not avro".getBytes(StandardCharsets.UTF_8));
            // Sent at once: the first ones wait for the load, the rest queue behind the 4 slots.
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                String id = nodeId + "-p" + i;
                ids.add(id);
                RoutedPrompt routed = RoutedPrompt.newBuilder().setPrompt(prompt(id, SLOW, 100 + 20 * i, now))
                        .setNodeId(nodeId).setAttempt(1).setRoutedAt(now).setDeadline(now.plusSeconds(3600))
                        .setPredicted(zero()).setExcludedNodeIds(List.of()).build();
                send(producer, topic, id, AvroCodec.of(RoutedPrompt.class).encode(routed));
            }
            producer.flush();

            Map<String, AttemptResult> results = new HashMap<>();
            await("a result for every prompt", Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Topics.NODE_RESULTS.name())) {
                    AttemptResult a = AvroCodec.of(AttemptResult.class).decode(r.value());
                    if (ids.contains(a.getPromptId())) {
                        results.put(a.getPromptId(), a);
                    }
                }
                return results.keySet().equals(ids);
            });
            int waitedForLoad = 0;
            double worst = 0;
            for (AttemptResult a : results.values()) {
                assertEquals(AttemptOutcome.COMPLETED, a.getOutcome(), a.getPromptId() + " " + a.getReasonText());
                assertEquals(nodeId, a.getNodeId());
                LatencyBreakdown m = a.getMeasured();
                assertNotNull(m);
                double parts = m.getQueueSeconds() + m.getLoadWaitSeconds() + m.getInferenceSeconds();
                double measured = (a.getFinishedAt().toEpochMilli() - a.getStartedAt().toEpochMilli()) / 1000.0;
                assertTrue(m.getInferenceSeconds() > 0, a.getPromptId() + " ran");
                assertTrue(Math.abs(parts - measured) <= 0.05 * measured, String.format("%s: queue %.3f + load "
                        + "wait %.3f + inference %.3f = %.3f s, measured %.3f s", a.getPromptId(), m.getQueueSeconds(),
                        m.getLoadWaitSeconds(), m.getInferenceSeconds(), parts, measured));
                if (m.getLoadWaitSeconds() > 0) {
                    waitedForLoad++;
                }
                worst = Math.max(worst, Math.abs(parts - measured) / measured);
                InlineContent out = (InlineContent) a.getOutput();
                assertEquals(EmulatedRuntime.MEDIA_TYPE, out.getMediaType());
            }
            assertTrue(waitedForLoad > 0, "prompts sent with the command waited for the load");
            LOG.info("{} results; breakdown vs measured time: worst difference {} %; {} waited for the load",
                    results.size(), String.format("%.2f", 100 * worst), waitedForLoad);
            // Every offset done (the undecodable record included): the commit reaches the end of the topic.
            try (Admin admin = Admin.create(broker.adminProps())) {
                await("the offsets committed to the end", Duration.ofSeconds(20),
                        () -> committedQuietly(admin, "edgeweave-node-" + nodeId, topic) == 13);
            }

            // The state shows the model READY, and the refused command is on agent-decisions with its reason.
            await("node-state with the model READY", Duration.ofSeconds(20), () -> reader.poll(Topics.NODE_STATE
                    .name()).stream().filter(r -> nodeId.equals(r.key()))
                    .map(r -> AvroCodec.of(NodeState.class).decode(r.value()))
                    .anyMatch(s -> s.getDeployments().stream().anyMatch(d -> d.getModelId().equals(SLOW)
                            && d.getStatus() == DeploymentStatus.READY)));
            List<AgentDecision> decisions = new ArrayList<>();
            await("the plan, the READY event and the refusal on agent-decisions", Duration.ofSeconds(20), () -> {
                reader.poll(Topics.AGENT_DECISIONS.name()).stream().filter(r -> nodeId.equals(r.key()))
                        .forEach(r -> decisions.add(AvroCodec.of(AgentDecision.class).decode(r.value())));
                return decisions.stream().anyMatch(d -> d.getDecision().contains("\"kind\":\"LOAD\""))
                        && decisions.stream().anyMatch(d -> d.getDecision().contains("READY"))
                        && decisions.stream().anyMatch(d -> d.getRationale().contains("unknown model no-such-model"));
            });
            Set<String> links = new HashSet<>();
            await("the emulated link and the probed one on network-telemetry", Duration.ofSeconds(20), () -> {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Topics.NETWORK_TELEMETRY.name())) {
                    LinkSample l = AvroCodec.of(LinkSample.class).decode(r.value());
                    if (l.getToId().equals(nodeId)) {
                        assertEquals(l.getFromId() + "/" + nodeId, r.key());
                        assertTrue(l.getRttMillis() >= 0 && l.getProbes() >= 1, l.toString());
                        if (l.getFromId().equals("ap-1")) {
                            assertEquals(12.5, l.getRttMillis());
                        }
                        links.add(l.getFromId());
                    }
                }
                return links.containsAll(List.of("ap-1", "probe-1"));
            });
            // A cut link is reported down (0 probes) at once and on every round until it is back; then ap-1's
            // configured figures again, and for ap-9, which has none, a tombstone.
            c.partition("ap-1", true);
            c.partition("ap-9", true);
            List<String> seen = new ArrayList<>();
            await("both links reported down", Duration.ofSeconds(20), () -> {
                record(reader, nodeId, seen);
                return seen.contains("ap-1 down") && seen.contains("ap-9 down");
            });
            c.partition("ap-1", false);
            c.partition("ap-9", false);
            await("both links back", Duration.ofSeconds(20), () -> {
                record(reader, nodeId, seen);
                return seen.lastIndexOf("ap-1 12.5") > seen.lastIndexOf("ap-1 down")
                        && seen.lastIndexOf("ap-9 gone") > seen.lastIndexOf("ap-9 down");
            });
            Thread.sleep(500); // a few more rounds of probes: neither link is reported down again
            record(reader, nodeId, seen);
            assertTrue(seen.lastIndexOf("ap-1 12.5") > seen.lastIndexOf("ap-1 down")
                    && seen.lastIndexOf("ap-9 gone") > seen.lastIndexOf("ap-9 down"), seen.toString());
            assertTrue(c.metrics().scrape().contains("connector_records_ignored_total{topic=\"" + topic + "\"} 1.0"),
                    "the undecodable record was counted");
            assertTrue(c.healthy());
        } finally {
            c.close();
        }
        assertTrue(!c.healthy(), "stopped");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKilledConnectorServesItsPromptsAgainAfterARestartAndEachPromptEndsOnce(KafkaBroker broker)
            throws Exception {
        String nodeId = broker.uniqueName("edge");
        String run = broker.uniqueName("connector-it");
        CityClock clock = CityClock.system(Instant.now(), SPEEDUP);
        ConnectorConfig config = config(broker, nodeId, clock.start());

        // The real scheduler downstream, on the standard topics.
        Settings settings = Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), Map.of(),
                SchedulerConfig.ENV_PREFIX).withOverrides(Map.of(SchedulerConfig.BOOTSTRAP, broker.bootstrapServers(),
                SchedulerConfig.APPLICATION_ID, run, SchedulerConfig.NODES, nodeId,
                SchedulerConfig.CITY_SPEEDUP, Double.toString(SPEEDUP), SchedulerConfig.CITY_START,
                clock.start().toString(),
                // Long enough that the killed server's prompts wait for its restart rather than move elsewhere:
                // this test is about the connector serving them again. Re-routing is the scheduler's own test.
                SchedulerConfig.HEARTBEAT_TIMEOUT, "600s",
                SchedulerConfig.STATE_DIR, java.nio.file.Files.createTempDirectory("connector-it").toString()));
        SchedulerConfig sc = SchedulerConfig.from(settings);
        Properties props = SchedulerApp.streamsProperties(settings);
        try (Admin admin = Admin.create(broker.adminProps())) {
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(Topics.ALL);
        }
        KafkaStreams streams = new KafkaStreams(SchedulerTopology.build(SchedulerTopology.Names.standard(), MODELS,
                new CityState(GpuCatalog.standard(), sc.nodes()), Optional.empty(), sc.scheduler(), sc.cityClock(),
                new SchedulerCounters()), props);
        streams.start();

        NodeConnector first = connector(config);
        first.start();
        NodeConnector second = null;
        int n = 40;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProps());
             Reader reader = new Reader(broker, List.of(Topics.NODE_RESULTS.name(), Topics.NODE_STATE.name(),
                     Topics.PROMPT_COMPLETIONS.name(), Topics.PROMPT_REJECTIONS.name()));
             Admin admin = Admin.create(broker.adminProps())) {
            Instant now = clock.instant();
            // Two models with different speeds on one server: later prompts of the fast one finish before
            // earlier ones of the slow one, so results come out of offset order.
            send(producer, Topics.DEPLOYMENT_COMMANDS.name(), nodeId, AvroCodec.of(DeploymentCommand.class)
                    .encode(load(nodeId + "-c1", nodeId, SLOW, 2, now)));
            send(producer, Topics.DEPLOYMENT_COMMANDS.name(), nodeId, AvroCodec.of(DeploymentCommand.class)
                    .encode(load(nodeId + "-c2", nodeId, FAST, 4, now)));
            producer.flush();
            await("both models READY in node-state", Duration.ofSeconds(60), () -> reader
                    .poll(Topics.NODE_STATE.name()).stream().filter(r -> nodeId.equals(r.key()))
                    .map(r -> AvroCodec.of(NodeState.class).decode(r.value()))
                    .anyMatch(s -> s.getDeployments().stream().filter(d -> d.getStatus() == DeploymentStatus.READY)
                            .map(DeploymentState::getModelId).toList().containsAll(List.of(SLOW, FAST))));

            Set<String> ids = new HashSet<>();
            now = clock.instant();
            for (int i = 0; i < n; i++) {
                String id = run + "-p" + i;
                ids.add(id);
                boolean slow = i % 2 == 0;
                Prompt p = prompt(id, slow ? SLOW : FAST, slow ? 400 : 40, now);
                send(producer, Topics.PROMPTS.name(), id, AvroCodec.of(Prompt.class).encode(p));
            }
            producer.flush();

            // Kill the first connector once some, not all, of its attempts have results.
            Set<String> answeredByFirst = new HashSet<>();
            await("a first share of results", Duration.ofSeconds(60), () -> {
                reader.poll(Topics.NODE_RESULTS.name()).stream()
                        .map(r -> AvroCodec.of(AttemptResult.class).decode(r.value()))
                        .filter(a -> ids.contains(a.getPromptId())).forEach(a -> answeredByFirst.add(a.getPromptId()));
                return answeredByFirst.size() >= 8;
            });
            first.kill();
            long committed = committed(admin, "edgeweave-node-" + nodeId, Topics.nodePrompts(nodeId).name());
            // Everything the first connector produced, read before the second starts (it produced nothing after
            // the kill): two empty polls in a row end it.
            for (int empty = 0; empty < 2; ) {
                List<ConsumerRecord<String, byte[]>> got = reader.poll(Topics.NODE_RESULTS.name());
                empty = got.isEmpty() ? empty + 1 : 0;
                got.stream().map(r -> AvroCodec.of(AttemptResult.class).decode(r.value()))
                        .filter(a -> ids.contains(a.getPromptId())).forEach(a -> answeredByFirst.add(a.getPromptId()));
            }
            LOG.info("killed the first connector: {} of {} prompts answered, {} offsets committed",
                    answeredByFirst.size(), n, committed);
            assertTrue(answeredByFirst.size() < n, "prompts were in flight at the kill");
            // Out of order: some prompts at or after the committed offset were answered already (they are
            // served again, and the scheduler ignores the second result).
            List<String> order = routedOrder(broker, Topics.nodePrompts(nodeId).name(), ids);
            long answeredBeyond = order.subList((int) Math.min(committed, order.size()), order.size()).stream()
                    .filter(answeredByFirst::contains).count();
            LOG.info("{} prompts at or after the commit point had results before the kill", answeredBeyond);

            // The killed connector's last state: the restarted one's must supersede it at once (a reader keeps the
            // highest sequence, so a restart counting from 1 again would be ignored for as long as the first ran).
            long lastSequenceOfFirst = Long.MIN_VALUE;
            for (int empty = 0; empty < 2; ) {
                List<ConsumerRecord<String, byte[]>> got = reader.poll(Topics.NODE_STATE.name());
                empty = got.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : got) {
                    if (nodeId.equals(r.key())) {
                        lastSequenceOfFirst = Math.max(lastSequenceOfFirst,
                                AvroCodec.of(NodeState.class).decode(r.value()).getSequence());
                    }
                }
            }
            long lastOfFirst = lastSequenceOfFirst;
            second = connector(config);
            second.start();
            List<Long> sequencesOfSecond = new ArrayList<>();
            await("a state from the restarted connector", Duration.ofSeconds(30), () -> {
                reader.poll(Topics.NODE_STATE.name()).stream().filter(r -> nodeId.equals(r.key()))
                        .forEach(r -> sequencesOfSecond.add(AvroCodec.of(NodeState.class).decode(r.value())
                                .getSequence()));
                return !sequencesOfSecond.isEmpty();
            });
            assertTrue(sequencesOfSecond.stream().allMatch(q -> q > lastOfFirst), "the restarted connector's "
                    + "states " + sequencesOfSecond + " supersede the killed one's last, " + lastOfFirst);
            Set<String> answeredBySecond = new HashSet<>();
            Map<String, Integer> terminal = new HashMap<>();
            await("a terminal record for every prompt", Duration.ofSeconds(90), () -> {
                for (String t : List.of(Topics.PROMPT_COMPLETIONS.name(), Topics.PROMPT_REJECTIONS.name())) {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(t)) {
                        if (ids.contains(r.key())) {
                            terminal.merge(r.key(), 1, Integer::sum);
                        }
                    }
                }
                reader.poll(Topics.NODE_RESULTS.name()).stream().map(r -> AvroCodec.of(AttemptResult.class)
                        .decode(r.value())).filter(a -> ids.contains(a.getPromptId()))
                        .forEach(a -> answeredBySecond.add(a.getPromptId()));
                return terminal.keySet().containsAll(ids);
            });
            // Read on for a moment: a second terminal record would show up now.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                for (String t : List.of(Topics.PROMPT_COMPLETIONS.name(), Topics.PROMPT_REJECTIONS.name())) {
                    reader.poll(t).stream().filter(r -> ids.contains(r.key()))
                            .forEach(r -> terminal.merge(r.key(), 1, Integer::sum));
                }
            }
            terminal.forEach((id, count) -> assertEquals(1, count, id + " terminal records"));
            // The restarted connector served every attempt from the commit point on, including those the first
            // had answered out of order (a rebalance may deliver some twice: it counts each delivery).
            List<String> fromCommitPoint = order.subList((int) committed, order.size());
            assertTrue(answeredBySecond.containsAll(fromCommitPoint), "answered after the restart: "
                    + answeredBySecond.size() + " of the " + fromCommitPoint.size() + " from the commit point on");
            long received = (long) counter(second.metrics().scrape(), "connector_prompts_received_total");
            assertTrue(received >= fromCommitPoint.size(), received + " received");
            LOG.info("all {} prompts terminal once; the restarted connector served the {} from the commit point "
                    + "({} of them answered before the kill too)", n, fromCommitPoint.size(), answeredBeyond);
            // Every prompt completed (none lost to the kill).
            assertEquals(n, terminal.size());
        } finally {
            if (second != null) {
                second.close();
            }
            streams.close(Duration.ofSeconds(30));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static LatencyBreakdown zero() {
        return LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0).setQueueSeconds(0)
                .setLoadWaitSeconds(0).setInferenceSeconds(0).setDownlinkSeconds(0).setTotalSeconds(0).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(10, TimeUnit.SECONDS);
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        OffsetAndMetadata o = offsets.get(new TopicPartition(topic, 0));
        return o == null ? 0 : o.offset();
    }

    private static long committedQuietly(Admin admin, String group, String topic) {
        try {
            return committed(admin, group, topic);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The prompt ids on a server's topic, in offset order (its one partition), first attempts only. */
    private static List<String> routedOrder(KafkaBroker broker, String topic, Set<String> ids) {
        List<String> order = new ArrayList<>();
        Properties p = broker.consumerProps(broker.uniqueName("order"));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    RoutedPrompt routed = AvroCodec.of(RoutedPrompt.class).decode(r.value());
                    if (ids.contains(routed.getPrompt().getPromptId())) {
                        order.add(routed.getPrompt().getPromptId());
                    }
                }
            }
        }
        return order;
    }

    private static double counter(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not in the metrics");
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** One read_committed consumer per topic, from the start, for the test's checks. */
    /** The links to {@code nodeId} read from network-telemetry, as "ap down", "ap <rtt>" or "ap gone" (a tombstone). */
    private static void record(Reader reader, String nodeId, List<String> seen) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Topics.NETWORK_TELEMETRY.name())) {
            if (!r.key().endsWith("/" + nodeId)) {
                continue;
            }
            String peer = r.key().substring(0, r.key().indexOf('/'));
            if (r.value() == null) {
                seen.add(peer + " gone");
            } else {
                LinkSample l = AvroCodec.of(LinkSample.class).decode(r.value());
                seen.add(peer + (l.getProbes() == 0 ? " down" : " " + l.getRttMillis()));
            }
        }
    }

    private static final class Reader implements AutoCloseable {
        private final Map<String, KafkaConsumer<String, byte[]>> consumers = new HashMap<>();

        Reader(KafkaBroker broker, List<String> topics) {
            for (String t : topics) {
                Properties p = broker.consumerProps(broker.uniqueName("reader"));
                p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        org.apache.kafka.common.serialization.StringDeserializer.class.getName());
                p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
                c.subscribe(List.of(t));
                consumers.put(t, c);
            }
        }

        List<ConsumerRecord<String, byte[]>> poll(String topic) {
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            consumers.get(topic).poll(Duration.ofMillis(100)).forEach(out::add);
            return out;
        }

        @Override
        public void close() {
            consumers.values().forEach(KafkaConsumer::close);
        }
    }
}
