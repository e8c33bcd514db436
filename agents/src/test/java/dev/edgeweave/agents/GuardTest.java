package dev.edgeweave.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final EdgeServer L4 = new EdgeServer("edge-1", "site-1", List.of(GPUS.require("l4")));
    private static final EdgeServer A100 = new EdgeServer("edge-2", "site-2", List.of(GPUS.require("a100-40gb")));
    private final Guard guard = new Guard(MODELS, 1);

    private static PlanningSituation situation(Placement current, Set<String> down) {
        return new PlanningSituation(60, List.of(L4, A100), down, List.of(), current, RoutingWeights.NEUTRAL);
    }

    @Test
    void refusesAPlanOverGpuMemory() {
        // qwen2.5-vl-7b 12.1 GB + sdxl 10 GB + llama-3.1-8b 8.2 GB > the L4's 24 GB.
        Placement current = new Placement(Map.of("edge-1", List.of(new Deployment("qwen2.5-vl-7b", 0, 8),
                new Deployment("sdxl", 0, 1))));
        Placement over = current.with("edge-1", new Deployment("llama-3.1-8b-instruct", 0, 8));
        List<String> findings = guard.check(situation(current, Set.of()), new PlanningDecision(over, "more chat"));
        assertEquals(List.of("GPU 0 of edge-1 would hold 30.3 GB of 24.0 GB"), findings);
    }

    @Test
    void refusesUnknownServersModelsAndDownServers() {
        Placement p = new Placement(Map.of(
                "edge-9", List.of(new Deployment("kokoro-82m", 0, 1)),
                "edge-2", List.of(new Deployment("gpt-9", 0, 1))));
        List<String> findings = guard.check(situation(Placement.EMPTY, Set.of("edge-2")), new PlanningDecision(p, "x"));
        assertTrue(findings.contains("places models on unknown server edge-9"), findings.toString());
        assertTrue(findings.contains("places models on down server edge-2"), findings.toString());
        assertTrue(findings.contains("places unknown model gpt-9 on edge-2"), findings.toString());
    }

    @Test
    void refusesChurnOverTheLimit() {
        Placement two = new Placement(Map.of("edge-2", List.of(new Deployment("kokoro-82m", 0, 1),
                new Deployment("whisper-large-v3-turbo", 0, 1))));
        List<String> findings = guard.check(situation(Placement.EMPTY, Set.of()), new PlanningDecision(two, "x"));
        assertEquals(List.of("asks 2 loads and unloads of edge-2, over the churn limit 1"), findings);
    }

    @Test
    void acceptsAPlanThatFits() {
        Placement ok = new Placement(Map.of("edge-1", List.of(new Deployment("kokoro-82m", 0, 1))));
        assertEquals(List.of(), guard.check(situation(Placement.EMPTY, Set.of()), new PlanningDecision(ok, "x")));
    }

    @Test
    void refusesRoutingThatExcludesEveryServerOrNamesUnknownOnes() {
        SchedulingSituation s = new SchedulingSituation(10, Map.of(),
                List.of(new ServerLoad("edge-1", true, 0, 0, 0, 0), new ServerLoad("edge-2", false, 0, 0, 0, 0)),
                RoutingWeights.NEUTRAL);
        RoutingWeights w = new RoutingWeights(Map.of(ModelClass.CHAT, 2.0), Set.of("edge-1", "edge-7"), Map.of());
        List<String> findings = guard.check(s, new SchedulingDecision(w, "x"));
        assertEquals(List.of("excludes unknown server edge-7", "excludes every server that is up"), findings);
    }

    @Test
    void refusesADeploymentPlanOverMemoryOrOnAMissingGpu() {
        DeploymentSituation s = new DeploymentSituation(L4,
                List.of(new OnNodePacker.Current("qwen2.5-vl-7b", 0, 8, 1.0, 0, false)), List.of());
        OnNodePacker.Plan plan = new OnNodePacker.Plan(List.of(
                new OnNodePacker.Action(OnNodePacker.Action.Kind.LOAD, "sdxl", 0, 1, 1.0),
                new OnNodePacker.Action(OnNodePacker.Action.Kind.LOAD, "whisper-large-v3", 0, 1, 1.0),
                new OnNodePacker.Action(OnNodePacker.Action.Kind.LOAD, "kokoro-82m", 3, 1, 1.0)), List.of());
        List<String> findings = guard.check(s, new DeploymentDecision(plan, "x"));
        assertEquals(List.of("LOAD of kokoro-82m on GPU 3, which edge-1 does not have",
                "GPU 0 of edge-1 would hold 26.6 GB of 24.0 GB"), findings);
    }
}
