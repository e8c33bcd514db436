package dev.edgeweave.testbed.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.scheduler.CityState;
import dev.edgeweave.scheduler.Dispatcher;
import dev.edgeweave.scheduler.SchedulerSettings;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's pure parts: its JSON line and statistics, and the node states it publishes. */
class SchedulerBenchPartsTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final Instant T = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void theJsonLineHasTheIssuesKeysInOrder() throws Exception {
        String json = new SchedulerBenchResult(40_000.25, 200_000, 4.567, 100, 20, 1_000_000).toJson();
        assertEquals("{\"routedPerSec\": 40000.3, \"passThroughPerSec\": 200000.0, \"ratio\": 0.200, "
                + "\"decisionP99Micros\": 4.57, \"servers\": 100, \"models\": 20, \"records\": 1000000}", json);
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(List.of("routedPerSec", "passThroughPerSec", "ratio", "decisionP99Micros", "servers", "models",
                "records"), iterable(node.fieldNames()));
        assertEquals(0.2, node.get("ratio").asDouble(), 1e-9);
    }

    @Test
    void medianAndNearestRankQuantile() {
        assertEquals(2.0, SchedulerBenchResult.median(3, 1, 2));
        assertEquals(2.5, SchedulerBenchResult.median(4, 1, 2, 3));
        long[] sorted = new long[200];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(198, SchedulerBenchResult.quantile(sorted, 0.99));
        assertEquals(100, SchedulerBenchResult.quantile(sorted, 0.50));
        assertEquals(200, SchedulerBenchResult.quantile(sorted, 1.0));
        assertThrows(IllegalArgumentException.class, () -> SchedulerBenchResult.quantile(sorted, 0));
        assertThrows(IllegalArgumentException.class, () -> SchedulerBenchResult.median());
    }

    @Test
    void aPlacementBecomesReadyIdleDeploymentsWithTheirMemoryHeld() {
        EdgeServer server = new EdgeServer("edge-1", "site-1", List.of(GPUS.require("l4"), GPUS.require("l4")), 0.8e9);
        Placement placement = new Placement(Map.of("edge-1", List.of(
                new Deployment("llama-3.1-8b-instruct", 0, 4, 1.5), new Deployment("kokoro-82m", 0, 2),
                new Deployment("whisper-large-v3-turbo", 1, 2))));
        List<NodeState> states = PlacementStates.of(List.of(server), placement, MODELS, T, 7);
        NodeState s = states.get(0);
        assertEquals(List.of("edge-1", "site-1", 7L, 0.8e9, T),
                List.of(s.getNodeId(), s.getSiteId(), s.getSequence(), s.getStorageBytesPerSecond(), s.getHeartbeatAt()));
        assertEquals(MODELS.require("llama-3.1-8b-instruct").memoryBytes() + MODELS.require("kokoro-82m").memoryBytes(),
                s.getGpus().get(0).getMemoryUsedBytes());
        assertEquals(MODELS.require("whisper-large-v3-turbo").memoryBytes(), s.getGpus().get(1).getMemoryUsedBytes());
        assertEquals(GPUS.require("l4").memoryBytes(), s.getGpus().get(1).getMemoryBytes());
        DeploymentState chat = s.getDeployments().get(0);
        assertEquals(List.of(DeploymentStatus.READY, 4, 0, 0, 1.5), List.of(chat.getStatus(), chat.getConcurrency(),
                chat.getQueued(), chat.getRunning(), chat.getShareWeight()));

        // The scheduler takes them, and routes a chat prompt to the server holding chat.
        CityState city = new CityState(GPUS, Set.of("edge-1"));
        states.forEach(x -> city.update(x.getNodeId(), x));
        Optional<Dispatcher.Choice> c = new Dispatcher(city, Optional.empty(), SchedulerSettings.DEFAULTS).choose("p-1",
                MODELS.require("llama-3.1-8b-instruct"), PromptSize.text(100, 50), "u", "ap-1", 30, List.of(), T);
        assertEquals("edge-1", c.orElseThrow().nodeId());
        assertEquals(0.0, c.get().predicted().loadWaitS());
    }

    @Test
    void optionsRefuseNothingToMeasure() {
        assertThrows(IllegalArgumentException.class, () -> new SchedulerBench.Options(0, 3, 1, Optional.empty(),
                java.time.Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new SchedulerBench.Options(10, 0, 1, Optional.empty(),
                java.time.Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new SchedulerBench.Options(10, 3, -1, Optional.empty(),
                java.time.Duration.ofMinutes(1)));
        new SchedulerBench.Options(10, 1, 0, Optional.empty(), java.time.Duration.ofMinutes(1));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
