package dev.edgeweave.scheduler;

import static dev.edgeweave.scheduler.SchedulerFixture.CHAT;
import static dev.edgeweave.scheduler.SchedulerFixture.T0;
import static dev.edgeweave.scheduler.SchedulerFixture.deployment;
import static dev.edgeweave.scheduler.SchedulerFixture.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.DeadLetter;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.ClassWeight;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.EndpointKind;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import dev.edgeweave.v1.RoutingPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's topology under TopologyTestDriver: routing, dead letters, duplicates, re-dispatch, the
 * scan, stale results, the last attempt, policy updates, and exactly one terminal record per accepted id.
 */
class SchedulerTopologyTest {

    @Test
    void theTopologyKeepsItsNames() throws Exception {
        try (SchedulerFixture f = new SchedulerFixture()) {
            String expected;
            try (var in = getClass().getResourceAsStream("/scheduler-topology.txt")) {
                expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(expected.strip(), f.topology.describe().toString().strip(),
                    "a renamed processor, store or topic loses state: update scheduler-topology.txt deliberately");
        }
    }

    @Test
    void routesAPromptToTheFasterIdleServer() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").build());
            List<RoutedPrompt> routed = f.routedTo("edge-1");
            assertEquals(1, routed.size());
            RoutedPrompt r = routed.get(0);
            assertEquals("p-1", r.getPrompt().getPromptId());
            assertEquals(1, r.getAttempt());
            assertEquals("edge-1", r.getNodeId());
            assertEquals(T0.plusSeconds(30), r.getDeadline());
            assertTrue(r.getPredicted().getInferenceSeconds() > 0);
            assertEquals(List.of(), f.routedTo("edge-2"));
            assertEquals(1, f.counters.routed());
        }
    }

    @Test
    void aLinkReportedDownTakesItsServerOutOfThatAccessPointsRoutingUntilItIsBack() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            var links = f.driver.createInputTopic(SchedulerFixture.NAMES.telemetry(),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            // edge-1, the faster, takes an idle prompt; its link from ap-1 is reported down (0 probes answered).
            links.pipeInput("ap-1/edge-1", AvroCodec.of(LinkSample.class).encode(LinkSample.newBuilder()
                    .setFromId("ap-1").setFromKind(EndpointKind.ACCESS_POINT).setToId("edge-1").setRttMillis(0)
                    .setUplinkMbps(1).setDownlinkMbps(1).setMeasuredAt(T0).setProbes(0).build()), T0);
            f.send(prompt("p-1").build());
            assertEquals(List.of(), f.routedTo("edge-1"));
            assertEquals(List.of("p-1"), f.routedTo("edge-2").stream().map(r -> r.getPrompt().getPromptId()).toList());
            // From another access point edge-1 is reachable.
            f.send(prompt("p-2").setAccessPointId("ap-2").build());
            assertEquals(List.of("p-2"), f.routedTo("edge-1").stream().map(r -> r.getPrompt().getPromptId()).toList());
            // The link back (a tombstone: the city map's estimate again): ap-1's prompts may go to edge-1.
            links.pipeInput("ap-1/edge-1", null, T0);
            f.send(prompt("p-3").build());
            assertEquals(List.of("p-3"), f.routedTo("edge-1").stream().map(r -> r.getPrompt().getPromptId()).toList());
        }
    }

    @Test
    void badInputGoesToTheDeadLettersWithReasonPartitionAndOffset() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.sendRaw("x", "not avro at all".getBytes(StandardCharsets.UTF_8));                      // offset 0
            f.sendRaw("p-2", AvroCodec.of(NodeState.class).encode(NodeState.newBuilder()              // offset 1
                    .setNodeId("edge-9").setSiteId("s").setHeartbeatAt(T0).setSequence(1)
                    .setStorageBytesPerSecond(1).setGpus(List.of()).setDeployments(List.of()).build()));
            f.send(prompt("p-3").setSizes(dev.edgeweave.v1.PromptSizes.newBuilder().setInputTokens(-4)        // 2
                    .setInputBytes(0).build()).build());
            f.send(prompt("p-4").setModelId("gpt-9").build());                                        // offset 3
            f.sendRaw("other-key", AvroCodec.of(dev.edgeweave.v1.Prompt.class).encode(prompt("p-5").build())); // 4
            f.send(prompt("p-6").build());                                                            // offset 5
            List<TestRecord<byte[], byte[]>> dlq = f.deadLetters();
            assertEquals(5, dlq.size());
            List<String> reasons = new ArrayList<>();
            for (int i = 0; i < dlq.size(); i++) {
                TestRecord<byte[], byte[]> r = dlq.get(i);
                DeadLetter d = DeadLetter.read(r.key(), r.value(), r.headers());
                assertEquals("INVALID", d.reasonCode());
                assertEquals("prompts", d.sourceTopic());
                assertEquals(0, d.sourcePartition());
                assertEquals(i, d.sourceOffset());
                assertFalse(d.reason().contains("secret question"), "no content in the reason");
                reasons.add(d.reason());
            }
            assertTrue(reasons.get(0).startsWith("undecodable dev.edgeweave.v1.Prompt"), reasons.get(0));
            assertTrue(reasons.get(1).startsWith("wrong record type"), reasons.get(1));
            assertTrue(reasons.get(2).startsWith("sizes.inputTokens"), reasons.get(2));
            assertTrue(reasons.get(3).startsWith("modelId: unknown model 'gpt-9'"), reasons.get(3));
            assertTrue(reasons.get(4).startsWith("key must be the prompt id"), reasons.get(4));
            assertEquals(1, f.routedTo("edge-1").size(), "the good prompt after them still routes");
            assertEquals(5, f.counters.deadLettered());
        }
    }

    @Test
    void aDeadLetterKeepsTheInputsHeadersButNotForgedDeadLetterOnes() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            org.apache.kafka.common.header.internals.RecordHeaders in =
                    new org.apache.kafka.common.header.internals.RecordHeaders();
            in.add("trace-id", "t-17".getBytes(StandardCharsets.UTF_8));
            in.add(DeadLetter.H_REASON_CODE, "FINE".getBytes(StandardCharsets.UTF_8));
            in.add(DeadLetter.H_SOURCE_OFFSET, "99".getBytes(StandardCharsets.UTF_8));
            f.sendRaw("x", "not avro at all".getBytes(StandardCharsets.UTF_8), in);
            f.send(prompt("p-1").build());
            f.sendRaw("p-1", AvroCodec.of(dev.edgeweave.v1.Prompt.class).encode(prompt("p-1").build()), in);
            List<TestRecord<byte[], byte[]>> dlq = f.deadLetters();
            assertEquals(2, dlq.size());
            for (TestRecord<byte[], byte[]> r : dlq) {
                assertEquals("t-17", new String(r.headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8));
                assertEquals(1, r.headers().toArray().length - 7, "the input's one header of its own, then ours: "
                        + java.util.Arrays.toString(r.headers().toArray()));
            }
            DeadLetter bad = DeadLetter.read(dlq.get(0).key(), dlq.get(0).value(), dlq.get(0).headers());
            assertEquals("INVALID", bad.reasonCode());
            assertEquals(0, bad.sourceOffset());
            DeadLetter dup = DeadLetter.read(dlq.get(1).key(), dlq.get(1).value(), dlq.get(1).headers());
            assertEquals("DUPLICATE", dup.reasonCode());
            assertEquals(2, dup.sourceOffset());
        }
    }

    @Test
    void admissionControlRejectsAPromptPredictedFarOverItsSloAndAdmitsTheRest() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-ok").build());
            double predicted = f.routedTo("edge-1").get(0).getPredicted().getTotalSeconds();
            // An SLO so short that the best server's prediction is over 4 times it: refused at admission.
            double slo = predicted / (SchedulerSettings.DEFAULTS.admissionFactor() * 1.5);
            f.send(prompt("p-late").setSloSeconds(slo).build());
            List<PromptRejection> rejected = f.rejections();
            assertEquals(1, rejected.size());
            assertEquals("p-late", rejected.get(0).getPromptId());
            assertEquals(ReasonCode.OVERLOADED, rejected.get(0).getReason());
            assertEquals(0, rejected.get(0).getAttempts());
            assertTrue(rejected.get(0).getReasonText().contains("SLO"), rejected.get(0).getReasonText());
            assertEquals(List.of(), f.routedTo("edge-1").stream().filter(r -> r.getPrompt().getPromptId()
                    .equals("p-late")).toList(), "not queued");
            // Within 4 times its SLO, a prompt is admitted even when predicted over it.
            f.send(prompt("p-tight").setSloSeconds(predicted / 2).build());
            assertEquals(0, f.rejections().size());
        }
    }

    @Test
    void aDuplicateIdIsDeadLetteredAndTheFirstStands() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").build());
            f.advance(Duration.ofSeconds(1));
            f.send(prompt("p-1").build());
            List<TestRecord<byte[], byte[]>> dlq = f.deadLetters();
            assertEquals(1, dlq.size());
            DeadLetter d = DeadLetter.read(dlq.get(0).key(), dlq.get(0).value(), dlq.get(0).headers());
            assertEquals("DUPLICATE", d.reasonCode());
            assertEquals(1, d.sourceOffset());
            assertEquals(1, f.routedTo("edge-1").size());
        }
    }

    @Test
    void aCompletedResultEndsThePromptOnceAndDuplicatesAreIgnored() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").build());
            f.advance(Duration.ofSeconds(2));
            f.result("p-1", 1, "edge-1", AttemptOutcome.COMPLETED, null);
            f.result("p-1", 1, "edge-1", AttemptOutcome.COMPLETED, null);
            List<PromptCompletion> done = f.completions();
            assertEquals(1, done.size());
            PromptCompletion c = done.get(0);
            assertEquals("edge-1", c.getNodeId());
            assertEquals(1, c.getAttempts());
            assertEquals(ModelClass.CHAT, c.getModelClass());
            assertEquals(1.1, c.getLatency().getInferenceSeconds(), 1e-9);
            assertTrue(c.getLatency().getTotalSeconds() >= 2.0);
            assertEquals(List.of(), f.rejections());
            assertEquals(1, f.counters.ignoredResults());
        }
    }

    @Test
    void aFailedOrHandedBackAttemptIsRoutedAgainElsewhere() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").build());
            f.send(prompt("p-2").build());
            f.result("p-1", 1, "edge-1", AttemptOutcome.FAILED, ReasonCode.RUNTIME_ERROR);
            f.result("p-2", 1, "edge-1", AttemptOutcome.HANDED_BACK, ReasonCode.NOT_DEPLOYED);
            List<RoutedPrompt> second = f.routedTo("edge-2");
            assertEquals(List.of("p-1", "p-2"), second.stream().map(r -> r.getPrompt().getPromptId()).toList());
            for (RoutedPrompt r : second) {
                assertEquals(2, r.getAttempt());
                assertEquals(List.of("edge-1"), r.getExcludedNodeIds());
            }
            assertEquals(2, f.counters.rerouted());
        }
    }

    @Test
    void aStaleHeartbeatMovesTheAttemptAndTheOldServersLateAnswerIsIgnored() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").build());
            assertEquals(1, f.routedTo("edge-1").size());
            // edge-2 keeps heartbeating, edge-1 falls silent for more than 3 missed heartbeats.
            for (int s = 0; s < 4; s++) {
                f.advance(Duration.ofSeconds(1));
                f.heartbeat("edge-2", "jetson-agx-orin-64gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
            }
            f.advance(Duration.ofSeconds(1));
            List<RoutedPrompt> moved = f.routedTo("edge-2");
            assertEquals(1, moved.size());
            assertEquals(2, moved.get(0).getAttempt());
            f.result("p-1", 1, "edge-1", AttemptOutcome.COMPLETED, null);
            assertEquals(List.of(), f.completions(), "a result for an attempt that is no longer current");
            f.result("p-1", 2, "edge-2", AttemptOutcome.COMPLETED, null);
            List<PromptCompletion> done = f.completions();
            assertEquals(1, done.size());
            assertEquals(2, done.get(0).getAttempts());
        }
    }

    @Test
    void anOverdueAttemptIsRoutedAgain() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").setSloSeconds(5).build());
            RoutedPrompt first = f.routedTo("edge-1").get(0);
            // Both servers keep heartbeating; the attempt gets no answer for 3 × max(SLO, predicted).
            double allowed = SchedulerSettings.DEFAULTS.attemptTimeoutFactor()
                    * Math.max(5, first.getPredicted().getTotalSeconds());
            for (int s = 0; s <= (int) Math.ceil(allowed) + 1; s++) {
                f.advance(Duration.ofSeconds(1));
                f.heartbeat("edge-1", "a100-40gb", deployment(CHAT, DeploymentStatus.READY, 0, 1));
                f.heartbeat("edge-2", "jetson-agx-orin-64gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
            }
            List<RoutedPrompt> again = f.routedTo("edge-2");
            assertEquals(1, again.size());
            assertEquals(2, again.get(0).getAttempt());
        }
    }

    @Test
    void afterTheLastAttemptThePromptIsRejectedOnce() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.send(prompt("p-1").build());
            f.result("p-1", 1, "edge-1", AttemptOutcome.FAILED, ReasonCode.RUNTIME_ERROR);
            // With edge-1 excluded, attempt 2 goes to edge-2; its failure leaves no server: NO_CAPACITY ends it.
            f.result("p-1", 2, "edge-2", AttemptOutcome.FAILED, ReasonCode.RUNTIME_ERROR);
            List<PromptRejection> rejected = f.rejections();
            assertEquals(1, rejected.size());
            assertEquals(ReasonCode.NO_CAPACITY, rejected.get(0).getReason());
            assertEquals(2, rejected.get(0).getAttempts());
            f.result("p-1", 2, "edge-2", AttemptOutcome.FAILED, ReasonCode.RUNTIME_ERROR);
            assertEquals(List.of(), f.rejections(), "a result after the end is ignored");
        }
    }

    @Test
    void threeFailedAttemptsAreRetriesExhausted() {
        try (SchedulerFixture f = new SchedulerFixture(java.util.Set.of("edge-1", "edge-2", "edge-3"))) {
            for (String node : List.of("edge-1", "edge-2", "edge-3")) {
                f.heartbeat(node, "a100-40gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
            }
            f.send(prompt("p-1").build());
            List<String> tried = new ArrayList<>();
            for (int attempt = 1; attempt <= 3; attempt++) {
                String node = null;
                for (String n : List.of("edge-1", "edge-2", "edge-3")) {
                    List<RoutedPrompt> r = f.routedTo(n);
                    if (!r.isEmpty()) {
                        assertEquals(attempt, r.get(0).getAttempt());
                        node = n;
                    }
                }
                assertFalse(tried.contains(node), "a failed server is not tried again");
                tried.add(node);
                f.result("p-1", attempt, node, AttemptOutcome.FAILED, ReasonCode.RUNTIME_ERROR);
            }
            List<PromptRejection> rejected = f.rejections();
            assertEquals(1, rejected.size());
            assertEquals(ReasonCode.RETRIES_EXHAUSTED, rejected.get(0).getReason());
            assertEquals(3, rejected.get(0).getAttempts());
        }
    }

    @Test
    void noCandidateIsNoCapacityAndALatePromptIsDeadlineExceeded() {
        try (SchedulerFixture f = new SchedulerFixture()) {
            // edge-1's A100 is full with other models: chat neither held nor loadable.
            f.heartbeat("edge-1", "a100-40gb", deployment("qwen2.5-vl-7b", DeploymentStatus.READY, 0, 0),
                    deployment("sdxl", DeploymentStatus.READY, 0, 0), deployment("sdxl-turbo", DeploymentStatus.READY, 0, 0),
                    deployment("whisper-large-v3", DeploymentStatus.READY, 0, 0));
            f.send(prompt("p-1").build());
            f.send(prompt("p-2").setCreatedAt(T0.minusSeconds(60)).build());
            Map<String, ReasonCode> reasons = f.rejections().stream()
                    .collect(Collectors.toMap(PromptRejection::getPromptId, PromptRejection::getReason));
            assertEquals(Map.of("p-1", ReasonCode.NO_CAPACITY, "p-2", ReasonCode.DEADLINE_EXCEEDED), reasons);
        }
    }

    @Test
    void aPolicyUpdateChangesTheDecisionAndAGarbagePolicyIsIgnored() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.policy(RoutingPolicy.newBuilder().setVersion(1).setIssuedAt(T0).setClassWeights(List.of())
                    .setExcludedNodeIds(List.of("edge-1")).setBrain(BrainKind.OPTIMIZER).build());
            f.send(prompt("p-1").build());
            assertEquals(1, f.routedTo("edge-2").size(), "edge-1 excluded by the policy");
            f.policy(RoutingPolicy.newBuilder().setVersion(2).setIssuedAt(T0)
                    .setClassWeights(List.of(ClassWeight.newBuilder().setModelClass(ModelClass.CHAT).setWeight(1000).build()))
                    .setBrain(BrainKind.OPTIMIZER).build());
            assertEquals(1, f.counters.badTelemetry());
            f.send(prompt("p-2").build());
            assertEquals(1, f.routedTo("edge-2").size(), "the garbage policy changed nothing");
        }
    }

    @Test
    void aNodeStateForAnUnknownServerIsIgnored() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            f.heartbeat("edge-9", "a100-40gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
            assertEquals(1, f.counters.badTelemetry());
            assertEquals(List.of("edge-1", "edge-2"), f.city.nodeIds().stream().sorted().toList());
        }
    }

    @Test
    void localDeltasSpreadABurstBetweenHeartbeats() {
        try (SchedulerFixture f = new SchedulerFixture()) {
            f.heartbeat("edge-1", "a100-40gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
            f.heartbeat("edge-2", "a100-40gb", deployment(CHAT, DeploymentStatus.READY, 0, 0));
            for (int i = 0; i < 40; i++) {
                f.send(prompt("p-" + i).build());
            }
            int one = f.routedTo("edge-1").size();
            int two = f.routedTo("edge-2").size();
            assertEquals(40, one + two);
            assertTrue(one >= 10 && two >= 10, "the burst is shared: " + one + " / " + two);
        }
    }

    @Test
    void everyAcceptedIdEndsWithExactlyOneTerminalRecord() {
        try (SchedulerFixture f = SchedulerFixture.twoServersHoldingChat()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                f.send(prompt("p-" + i).build());
                ids.add("p-" + i);
            }
            for (int i = 0; i < 30; i++) {
                // Answers from both servers for attempts 1 and 2, duplicated: only the current attempt's counts.
                AttemptOutcome outcome = i % 3 == 0 ? AttemptOutcome.FAILED : AttemptOutcome.COMPLETED;
                f.result("p-" + i, 1, "edge-1", outcome, outcome == AttemptOutcome.FAILED ? ReasonCode.RUNTIME_ERROR : null);
                f.result("p-" + i, 1, "edge-2", outcome, outcome == AttemptOutcome.FAILED ? ReasonCode.RUNTIME_ERROR : null);
                f.result("p-" + i, 2, "edge-2", AttemptOutcome.COMPLETED, null);
                f.result("p-" + i, 2, "edge-1", AttemptOutcome.COMPLETED, null);
            }
            List<String> terminal = new ArrayList<>();
            f.completions().forEach(c -> terminal.add(c.getPromptId()));
            f.rejections().forEach(r -> terminal.add(r.getPromptId()));
            assertEquals(ids.stream().sorted().toList(), terminal.stream().sorted().toList());
        }
    }
}
