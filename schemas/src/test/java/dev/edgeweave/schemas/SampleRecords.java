package dev.edgeweave.schemas;

import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.AgentKind;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.ClassWeight;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import dev.edgeweave.v1.DeploymentPlan;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.EndpointKind;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.GuardVerdict;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.NodeCap;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Placement;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptLedgerEntry;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.PromptSizes;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import dev.edgeweave.v1.RoutingPolicy;
import dev.edgeweave.v1.WindowScope;
import dev.edgeweave.v1.WindowSummary;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** A valid instance of every record of the contract, for round trips and fixtures. */
public final class SampleRecords {

    public static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    private SampleRecords() {
    }

    public static PromptSizes textSizes(int inputTokens, int outputTokens) {
        return PromptSizes.newBuilder().setInputTokens(inputTokens).setOutputTokens(outputTokens)
                .setInputBytes(4L * inputTokens).build();
    }

    public static InlineContent text(String s) {
        return InlineContent.newBuilder().setMediaType("text/plain; charset=utf-8")
                .setData(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))).build();
    }

    public static Prompt.Builder prompt(String id, String modelId) {
        return Prompt.newBuilder().setPromptId(id).setModelId(modelId).setUserId("user-7")
                .setAccessPointId("ap-3").setSloSeconds(20.0).setCreatedAt(T0)
                .setSizes(textSizes(120, 80)).setContent(text("describe the harbour at dusk"));
    }

    public static LatencyBreakdown breakdown() {
        return LatencyBreakdown.newBuilder().setUplinkSeconds(0.01).setRttSeconds(0.012).setQueueSeconds(0.3)
                .setLoadWaitSeconds(0).setInferenceSeconds(1.8).setDownlinkSeconds(0.001).setTotalSeconds(2.123)
                .build();
    }

    /** One valid record of each top-level type. */
    public static List<SpecificRecord> all() {
        Prompt p = prompt("p-1", "llama-3.1-8b-instruct").build();
        Prompt byRef = prompt("p-2", "qwen2.5-vl-7b")
                .setSizes(PromptSizes.newBuilder().setInputTokens(40).setImages(1).setImagePixels(1024L * 768)
                        .setOutputTokens(100).setInputBytes(2_000_000).build())
                .setContent(ContentReference.newBuilder().setUri("s3://edgeweave-content/p-2.jpg")
                        .setMediaType("image/jpeg").setSizeBytes(2_000_000).setSha256("a".repeat(64)).build())
                .build();
        return List.of(
                p,
                byRef,
                RoutedPrompt.newBuilder().setPrompt(p).setNodeId("edge-3").setAttempt(2)
                        .setRoutedAt(T0.plusMillis(40)).setDeadline(T0.plusSeconds(20)).setPredicted(breakdown())
                        .setExcludedNodeIds(List.of("edge-1")).build(),
                AttemptResult.newBuilder().setPromptId("p-1").setAttempt(2).setNodeId("edge-3")
                        .setModelId("llama-3.1-8b-instruct").setOutcome(AttemptOutcome.COMPLETED)
                        .setOutput(text("an answer")).setMeasured(breakdown())
                        .setStartedAt(T0.plusMillis(60)).setFinishedAt(T0.plusMillis(2100)).build(),
                AttemptResult.newBuilder().setPromptId("p-1").setAttempt(1).setNodeId("edge-1")
                        .setModelId("llama-3.1-8b-instruct").setOutcome(AttemptOutcome.HANDED_BACK)
                        .setReason(ReasonCode.NOT_DEPLOYED).setReasonText("model unloaded")
                        .setStartedAt(T0.plusMillis(20)).setFinishedAt(T0.plusMillis(21)).build(),
                PromptCompletion.newBuilder().setPromptId("p-1").setModelId("llama-3.1-8b-instruct")
                        .setModelClass(ModelClass.CHAT).setUserId("user-7").setAccessPointId("ap-3")
                        .setNodeId("edge-3").setAttempts(2).setSloSeconds(20).setCreatedAt(T0)
                        .setCompletedAt(T0.plusMillis(2123)).setLatency(breakdown()).setOutput(text("an answer"))
                        .build(),
                PromptRejection.newBuilder().setPromptId("p-9").setModelId("sdxl-turbo")
                        .setModelClass(ModelClass.IMAGE_GENERATION).setUserId("user-2").setAccessPointId("ap-1")
                        .setReason(ReasonCode.RETRIES_EXHAUSTED).setReasonText("3 attempts failed")
                        .setAttempts(3).setSloSeconds(15).setCreatedAt(T0).setRejectedAt(T0.plusSeconds(9)).build(),
                NodeState.newBuilder().setNodeId("edge-3").setSiteId("site-harbour").setHeartbeatAt(T0)
                        .setSequence(42).setStorageBytesPerSecond(2.0e9)
                        .setGpus(List.of(GpuState.newBuilder().setIndex(0).setGpuType("l4")
                                .setMemoryBytes(24_000_000_000L).setMemoryUsedBytes(5_000_000_000L)
                                .setUtilisation(0.4).build()))
                        .setDeployments(List.of(DeploymentState.newBuilder().setModelId("llama-3.1-8b-instruct")
                                .setGpuIndex(0).setStatus(DeploymentStatus.LOADING).setReadyAt(T0.plusSeconds(8))
                                .setConcurrency(8).setQueued(3).setRunning(0).setMeanServiceSeconds(0)
                                .setMemoryBytes(5_000_000_000L).build()))
                        .build(),
                LinkSample.newBuilder().setFromId("ap-3").setFromKind(EndpointKind.ACCESS_POINT).setToId("edge-3")
                        .setRttMillis(11.5).setUplinkMbps(21.1).setDownlinkMbps(166.1).setMeasuredAt(T0).setProbes(5)
                        .build(),
                RoutingPolicy.newBuilder().setVersion(7).setIssuedAt(T0)
                        .setClassWeights(List.of(ClassWeight.newBuilder().setModelClass(ModelClass.SPEECH_SYNTHESIS)
                                .setWeight(0.6).build()))
                        .setExcludedNodeIds(List.of("edge-5"))
                        .setNodeCaps(List.of(NodeCap.newBuilder().setNodeId("edge-2").setMaxQueued(40).build()))
                        .setBrain(BrainKind.OPTIMIZER).build(),
                WindowSummary.newBuilder().setWindowStart(T0).setWindowEnd(T0.plusSeconds(10))
                        .setScope(WindowScope.CITY).setScopeId("city").setArrivals(120).setCompleted(118)
                        .setRejected(1).setMeanLatencySeconds(2.1).setP50LatencySeconds(1.7)
                        .setP95LatencySeconds(5.2).setP99LatencySeconds(8.8).setMeanSlowdown(1.9)
                        .setSloAttainment(0.97).setNormalizedJainSlowdown(0.93).build(),
                DeploymentPlan.newBuilder().setPlanId("plan-12").setVersion(12).setIssuedAt(T0)
                        .setPlacements(List.of(Placement.newBuilder().setNodeId("edge-3")
                                .setModelId("whisper-large-v3-turbo").setReplicas(1).build()))
                        .setBrain(BrainKind.LLM).setRationale("speech demand doubled at the harbour").build(),
                DeploymentCommand.newBuilder().setCommandId("plan-12/edge-3/1").setPlanId("plan-12")
                        .setNodeId("edge-3").setAction(DeploymentAction.LOAD).setModelId("whisper-large-v3-turbo")
                        .setIssuedAt(T0).build(),
                AgentDecision.newBuilder().setDecisionId("d-1").setAgent(AgentKind.LONG_TERM_PLANNING)
                        .setScope("city").setDecidedAt(T0).setSituationDigest("b".repeat(64))
                        .setSituation("model,demand\nwhisper,12").setDecision("{\"load\":1}")
                        .setRationale("speech demand doubled").setBrain(BrainKind.OPTIMIZER)
                        .setFallbackReason("llm answer failed the guard: memory").setDecisionMillis(3.2)
                        .setGuardVerdict(GuardVerdict.REPLACED).setGuardFindings(List.of("edge-2 memory over"))
                        .build(),
                PromptLedgerEntry.newBuilder().setPrompt(p).setModelClass(ModelClass.CHAT).setAttempt(2).setNodeId("edge-3").setAcceptedAt(T0)
                        .setDispatchedAt(T0.plusSeconds(3)).setAttemptDeadline(T0.plusSeconds(60))
                        .setPredicted(breakdown()).setExcludedNodeIds(List.of("edge-1")).build());
    }
}
