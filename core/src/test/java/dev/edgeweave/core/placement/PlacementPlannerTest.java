package dev.edgeweave.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PlacementPlannerTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final PromptSize CHAT_SIZE = PromptSize.text(800, 200);

    private static PromptSize typical(ModelSpec m) {
        return switch (m.modelClass()) {
            case CHAT -> CHAT_SIZE;
            case VISION_LANGUAGE -> new PromptSize(60, 1, 1024L * 768, 0, 120, 0, 0, 300_000);
            case IMAGE_GENERATION -> new PromptSize(40, 0, 0, 0, 0, 4, 512L * 512, 160);
            case SPEECH_RECOGNITION -> new PromptSize(0, 0, 0, 20, 0, 0, 0, 320_000);
            case SPEECH_SYNTHESIS -> PromptSize.text(60, 0);
        };
    }

    private static List<ModelDemand> demands(double chatRate) {
        List<ModelDemand> out = new ArrayList<>();
        for (ModelSpec m : MODELS.models()) {
            out.add(new ModelDemand(m, m.id().equals("llama-3.1-8b-instruct") ? chatRate : 0.2, typical(m)));
        }
        return out;
    }

    private static List<EdgeServer> city() {
        return List.of(
                new EdgeServer("edge-1", "site-1", List.of(GPUS.require("a100-40gb"))),
                new EdgeServer("edge-2", "site-2", List.of(GPUS.require("l4"))),
                new EdgeServer("edge-3", "site-3", List.of(GPUS.require("rtx-4090"))),
                new EdgeServer("edge-4", "site-4", List.of(GPUS.require("jetson-agx-orin-64gb"))),
                new EdgeServer("edge-5", "site-5", List.of(GPUS.require("jetson-orin-nx-16gb"))));
    }

    @Test
    void everyModelGetsAReplicaAndMoreDemandGetsMore() {
        Placement low = PlacementPlanner.plan(city(), demands(0.2), Placement.EMPTY, PlacementPlanner.STATIC);
        Placement high = PlacementPlanner.plan(city(), demands(6.0), Placement.EMPTY, PlacementPlanner.STATIC);
        for (ModelSpec m : MODELS.models()) {
            assertTrue(low.serversHolding(m.id()).size() >= 1, m.id() + " placed");
        }
        assertTrue(high.serversHolding("llama-3.1-8b-instruct").size()
                > low.serversHolding("llama-3.1-8b-instruct").size(), "hot chat gets more replicas: " + high);
    }

    @RepeatedTest(20)
    void neverExceedsGpuMemory() {
        Random r = new Random(System.identityHashCode(this));
        List<GpuType> types = GPUS.gpus();
        List<EdgeServer> servers = new ArrayList<>();
        for (int s = 0; s < 1 + r.nextInt(8); s++) {
            List<GpuType> gpus = new ArrayList<>();
            for (int g = 0; g < 1 + r.nextInt(3); g++) {
                gpus.add(types.get(r.nextInt(types.size())));
            }
            servers.add(new EdgeServer("s" + s, "site", gpus));
        }
        List<ModelDemand> demand = new ArrayList<>();
        for (ModelSpec m : MODELS.models()) {
            demand.add(new ModelDemand(m, r.nextDouble() * 5, typical(m), 0.5 + r.nextDouble()));
        }
        Placement p = PlacementPlanner.plan(servers, demand, Placement.EMPTY, PlacementPlanner.STATIC);
        for (EdgeServer s : servers) {
            long[] used = new long[s.gpus().size()];
            for (Deployment d : p.deploymentsOf(s.id())) {
                used[d.gpuIndex()] += MODELS.require(d.modelId()).memoryBytes();
            }
            for (int g = 0; g < used.length; g++) {
                assertTrue(used[g] <= s.gpus().get(g).memoryBytes(),
                        s.id() + " GPU " + g + " over memory: " + p.deploymentsOf(s.id()));
            }
        }
    }

    @Test
    void replanningTheSameDemandChangesNothing() {
        Placement first = PlacementPlanner.plan(city(), demands(3.0), Placement.EMPTY, PlacementPlanner.STATIC);
        Placement again = PlacementPlanner.plan(city(), demands(3.0), first, PlacementPlanner.DYNAMIC);
        assertEquals(first, again);
    }

    @Test
    void aDynamicPlanChangesAtMostOneDeploymentPerServer() {
        Placement start = PlacementPlanner.plan(city(), demands(0.2), Placement.EMPTY, PlacementPlanner.STATIC);
        Placement next = PlacementPlanner.plan(city(), demands(20.0), start, PlacementPlanner.DYNAMIC);
        for (EdgeServer s : city()) {
            Map<String, Boolean> before = new HashMap<>();
            start.deploymentsOf(s.id()).forEach(d -> before.put(d.modelId(), true));
            int changes = 0;
            for (Deployment d : next.deploymentsOf(s.id())) {
                if (before.remove(d.modelId()) == null) {
                    changes++;
                }
            }
            changes += before.size();
            assertTrue(changes <= 1, s.id() + " changed " + changes);
        }
        assertTrue(next.serversHolding("llama-3.1-8b-instruct").size()
                > start.serversHolding("llama-3.1-8b-instruct").size(), "the hot model gained a replica");
    }

    @Test
    void aDownServerHoldsNothing() {
        List<EdgeServer> up = city().subList(1, 5);
        Placement p = PlacementPlanner.plan(up, demands(1.0), Placement.EMPTY, PlacementPlanner.STATIC);
        assertTrue(p.deploymentsOf("edge-1").isEmpty());
    }

    @Test
    void capacityOfOneModelOnOneGpuIsItsBatchedServiceRate() {
        ModelSpec chat = MODELS.require("llama-3.1-8b-instruct");
        GpuType a100 = GPUS.require("a100-40gb");
        List<EdgeServer> one = List.of(new EdgeServer("e", "site", List.of(a100)));
        Placement p = new Placement(Map.of("e", List.of(new Deployment(chat.id(), 0, 8))));
        double expected = LatencyLaws.aggregateSpeedup(chat, PlacementPlanner.concurrencyFor(chat))
                / LatencyLaws.inferenceSeconds(chat, a100, CHAT_SIZE);
        assertEquals(expected, PlacementPlanner.capacity(one, p, List.of(new ModelDemand(chat, 1.0, CHAT_SIZE))),
                1e-9);
    }

    @Test
    void capacityIsZeroWhenAModelWithDemandHasNoReplica() {
        ModelSpec chat = MODELS.require("llama-3.1-8b-instruct");
        ModelSpec tts = MODELS.require("kokoro-82m");
        List<EdgeServer> one = List.of(new EdgeServer("e", "site", List.of(GPUS.require("l4"))));
        Placement p = new Placement(Map.of("e", List.of(new Deployment(chat.id(), 0, 8))));
        assertEquals(0.0, PlacementPlanner.capacity(one, p, List.of(new ModelDemand(chat, 1, CHAT_SIZE),
                new ModelDemand(tts, 1, PromptSize.text(50, 0)))));
    }
}
