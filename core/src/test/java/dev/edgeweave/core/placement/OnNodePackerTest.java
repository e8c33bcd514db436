package dev.edgeweave.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.placement.OnNodePacker.Action;
import dev.edgeweave.core.placement.OnNodePacker.Current;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnNodePackerTest {

    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final GpuCatalog GPUS = GpuCatalog.standard();
    // Two L4s (24 GB each).
    private static final EdgeServer SERVER = new EdgeServer("edge-9", "site", List.of(GPUS.require("l4"), GPUS.require("l4")));

    @Test
    void unloadsFirstThenLoadsLargestFirstThenResizes() {
        List<Current> now = List.of(
                new Current("kokoro-82m", 0, 1, 1.0, 0, false),
                new Current("whisper-large-v3", 0, 1, 1.0, 5, false),
                new Current("llama-3.2-3b-instruct", 1, 8, 1.0, 1, false));
        List<Deployment> target = List.of(
                new Deployment("llama-3.2-3b-instruct", 1, 4),
                new Deployment("llama-3.1-8b-instruct", 0, 8),
                new Deployment("sdxl-turbo", 0, 1));
        OnNodePacker.Plan plan = OnNodePacker.plan(SERVER, MODELS, now, target);
        List<Action.Kind> kinds = plan.actions().stream().map(Action::kind).toList();
        assertEquals(Action.Kind.UNLOAD, kinds.get(0));
        assertEquals("kokoro-82m", plan.actions().get(0).modelId(), "the idle model unloads first");
        assertEquals("whisper-large-v3", plan.actions().get(1).modelId());
        long largerFirst = MODELS.require(plan.actions().get(2).modelId()).memoryBytes();
        long smallerNext = MODELS.require(plan.actions().get(3).modelId()).memoryBytes();
        assertEquals(Action.Kind.LOAD, plan.actions().get(2).kind());
        assertTrue(largerFirst >= smallerNext, "largest load first");
        assertEquals(new Action(Action.Kind.RESIZE, "llama-3.2-3b-instruct", 1, 4, 1.0), plan.actions().get(4));
        assertEquals(List.of(), plan.deferred());
    }

    @Test
    void aLoadThatDoesNotFitIsDeferredNotOvercommitted() {
        // One L4 full with a 12.1 GB and a 10 GB model: a 8.2 GB model cannot fit until one drains.
        EdgeServer small = new EdgeServer("edge-8", "site", List.of(GPUS.require("l4")));
        List<Current> now = List.of(new Current("qwen2.5-vl-7b", 0, 8, 1.0, 3, false), new Current("sdxl", 0, 1, 1.0, 1, false));
        List<Deployment> target = List.of(new Deployment("qwen2.5-vl-7b", 0, 8), new Deployment("llama-3.1-8b-instruct", 0, 8));
        OnNodePacker.Plan plan = OnNodePacker.plan(small, MODELS, now, target);
        assertEquals(List.of(new Action(Action.Kind.UNLOAD, "sdxl", 0, 1, 1.0)), plan.actions());
        assertEquals(List.of(new Deployment("llama-3.1-8b-instruct", 0, 8)), plan.deferred());
    }

    @Test
    void theNamedGpuIsUsedWhenItFitsElseTheBestFit() {
        List<Current> now = List.of(new Current("qwen2.5-vl-7b", 0, 8, 1.0, 0, false));
        OnNodePacker.Plan plan = OnNodePacker.plan(SERVER, MODELS, now,
                List.of(new Deployment("qwen2.5-vl-7b", 0, 8), new Deployment("kokoro-82m", 1, 1),
                        new Deployment("whisper-large-v3-turbo", 0, 1)));
        assertEquals(new Action(Action.Kind.LOAD, "whisper-large-v3-turbo", 0, 1, 1.0), plan.actions().get(0));
        assertEquals(new Action(Action.Kind.LOAD, "kokoro-82m", 1, 1, 1.0), plan.actions().get(1));
    }

    @Test
    void aBackloggedDeploymentGetsAFullerBatchAndGivesItBackWhenTheBacklogIsGone() {
        // llama-3.1-8b batches up to a knee of 16; the plan asks for 8 slots.
        List<Deployment> target = List.of(new Deployment("llama-3.1-8b-instruct", 0, 8));
        OnNodePacker.Plan backlog = OnNodePacker.plan(SERVER, MODELS,
                List.of(new Current("llama-3.1-8b-instruct", 0, 8, 1.0, 17, false)), target);
        assertEquals(List.of(new Action(Action.Kind.RESIZE, "llama-3.1-8b-instruct", 0, 16, 1.0)), backlog.actions());
        OnNodePacker.Plan stillBusy = OnNodePacker.plan(SERVER, MODELS,
                List.of(new Current("llama-3.1-8b-instruct", 0, 16, 1.0, 6, false)), target);
        assertEquals(List.of(), stillBusy.actions(), "between the thresholds the batch stays");
        OnNodePacker.Plan drained = OnNodePacker.plan(SERVER, MODELS,
                List.of(new Current("llama-3.1-8b-instruct", 0, 16, 1.0, 3, false)), target);
        assertEquals(List.of(new Action(Action.Kind.RESIZE, "llama-3.1-8b-instruct", 0, 8, 1.0)), drained.actions());
    }

    @Test
    void aBatchAlreadyAtTheKneeIsNotRaised() {
        int knee = MODELS.require("llama-3.1-8b-instruct").law().batching().knee();
        List<Deployment> target = List.of(new Deployment("llama-3.1-8b-instruct", 0, knee));
        OnNodePacker.Plan plan = OnNodePacker.plan(SERVER, MODELS,
                List.of(new Current("llama-3.1-8b-instruct", 0, knee, 1.0, 10 * knee, false)), target);
        assertEquals(List.of(), plan.actions());
    }
}
