package dev.edgeweave.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.fairness.FairnessController;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The three optimizer brains, each checked against the guard that stands between it and the city. */
class OptimizerBrainsTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final ModelClass CHAT = ModelClass.CHAT;
    private static final ModelClass IMAGE = ModelClass.IMAGE_GENERATION;
    private static final ModelClass SPEECH = ModelClass.SPEECH_RECOGNITION;
    private static final double T0 = 600;

    private final Guard guard = new Guard(MODELS, PlacementPlanner.DYNAMIC.maxChangesPerServer());

    // ---- short-term: OptimizerSchedulingBrain ---------------------------------------------------------------

    private static final List<ServerLoad> LOADS = List.of(new ServerLoad("edge-1", true, 3, 2, 0.6, 0.5),
            new ServerLoad("edge-2", true, 0, 1, 0.2, 0.3));

    private static ClassStats stats(long count, double meanSlowdown) {
        return new ClassStats(count, 2.0 * meanSlowdown, meanSlowdown, 4.0 * meanSlowdown);
    }

    private static SchedulingSituation window(double end, RoutingWeights current, Map<ModelClass, ClassStats> classes) {
        return new SchedulingSituation(end, classes, LOADS, current);
    }

    static Stream<Arguments> slowdowns() {
        return Stream.of(
                Arguments.of(Map.of(CHAT, stats(50, 8.0), IMAGE, stats(50, 2.0)), CHAT, IMAGE),
                Arguments.of(Map.of(CHAT, stats(50, 2.0), IMAGE, stats(50, 8.0)), IMAGE, CHAT),
                Arguments.of(Map.of(CHAT, stats(40, 1.5), IMAGE, stats(30, 3.0), SPEECH, stats(200, 12.0)), SPEECH, CHAT));
    }

    @ParameterizedTest
    @MethodSource("slowdowns")
    void schedulingRaisesTheWeightOfTheWorstServedClass(Map<ModelClass, ClassStats> classes, ModelClass worst,
                                                        ModelClass best) {
        SchedulingSituation s = window(T0, RoutingWeights.NEUTRAL, classes);
        SchedulingDecision d = new OptimizerSchedulingBrain().decide(s);
        assertTrue(d.weights().weight(worst) > 1.0, worst + " raised: " + d.weights());
        assertTrue(d.weights().weight(best) < 1.0, best + " lowered: " + d.weights());
        assertTrue(d.rationale().contains("worst mean slowdown " + worst), d.rationale());
        assertEquals(List.of(), guard.check(s, d));
    }

    @Test
    void schedulingRemembersEarlierWindowsWithTheDecay() {
        // Window 1: chat is served far worse than images. Window 2: chat alone would look better than images.
        Map<ModelClass, ClassStats> first = Map.of(CHAT, stats(50, 10.0), IMAGE, stats(50, 2.0));
        Map<ModelClass, ClassStats> second = Map.of(CHAT, stats(50, 1.0), IMAGE, stats(50, 2.0));
        OptimizerSchedulingBrain brain = new OptimizerSchedulingBrain();
        RoutingWeights afterFirst = brain.decide(window(T0, RoutingWeights.NEUTRAL, first)).weights();
        RoutingWeights afterSecond = brain.decide(window(T0 + 10, afterFirst, second)).weights();

        RoutingWeights memoryless = new OptimizerSchedulingBrain().decide(window(T0 + 10, afterFirst, second)).weights();
        assertTrue(memoryless.weight(CHAT) < afterFirst.weight(CHAT), "window 2 alone lowers chat: " + memoryless);
        assertTrue(afterSecond.weight(CHAT) > afterFirst.weight(CHAT),
                "with window 1 remembered chat is still the worse served: " + afterSecond);

        // Exactly the controller's answer for the decayed means and counts.
        double decay = OptimizerSchedulingBrain.DECAY;
        double count = 50 * decay + 50;
        double chatSum = 10.0 * 50 * decay + 1.0 * 50;
        double imageSum = 2.0 * 50 * decay + 2.0 * 50;
        Map<ModelClass, Double> expected = new FairnessController().update(afterFirst.classWeights(),
                Map.of(CHAT, chatSum / count, IMAGE, imageSum / count),
                Map.of(CHAT, Math.round(count), IMAGE, Math.round(count)));
        assertEquals(expected.keySet(), afterSecond.classWeights().keySet());
        expected.forEach((c, w) -> assertEquals(w, afterSecond.weight(c), 1e-12, c.toString()));
    }

    @Test
    void aClassSilentInTheNewestWindowStillCountsWhileItsMemoryLasts() {
        OptimizerSchedulingBrain brain = new OptimizerSchedulingBrain();
        RoutingWeights w1 = brain.decide(window(T0, RoutingWeights.NEUTRAL,
                Map.of(CHAT, stats(50, 10.0), IMAGE, stats(50, 2.0)))).weights();
        // No chat prompt ended in window 2; 50 × 0.7 = 35 remembered prompts are still evidence (≥ 20).
        RoutingWeights w2 = brain.decide(window(T0 + 10, w1, Map.of(IMAGE, stats(50, 2.0)))).weights();
        assertTrue(w2.weight(CHAT) > w1.weight(CHAT), "chat raised again: " + w1 + " -> " + w2);
    }

    @RepeatedTest(20)
    void schedulingWeightsStayWithinTheControllersBounds(RepetitionInfo repetition) {
        Random r = new Random(repetition.getCurrentRepetition());
        OptimizerSchedulingBrain brain = new OptimizerSchedulingBrain();
        RoutingWeights current = RoutingWeights.NEUTRAL;
        for (int i = 0; i < 40; i++) {
            Map<ModelClass, ClassStats> classes = new EnumMap<>(ModelClass.class);
            for (ModelClass c : ModelClass.values()) {
                if (r.nextInt(4) > 0) {
                    // Slowdowns from 0.1 to 10,000, some classes pinned at an extreme for many windows.
                    double slowdown = c == CHAT ? 5_000 : Math.pow(10, -1 + 5 * r.nextDouble());
                    classes.put(c, stats(r.nextInt(300), slowdown));
                }
            }
            SchedulingSituation s = window(T0 + 10 * i, current, classes);
            SchedulingDecision d = brain.decide(s);
            for (ModelClass c : ModelClass.values()) {
                double w = d.weights().weight(c);
                assertTrue(w >= FairnessController.MIN && w <= FairnessController.MAX,
                        "window " + i + ": " + c + " weight " + w);
            }
            assertEquals(List.of(), guard.check(s, d), "window " + i);
            current = d.weights();
        }
        assertTrue(current.weight(CHAT) > 1.0, "chat, always the worst, ends favoured: " + current);
    }

    // ---- long-term: OptimizerPlanningBrain -------------------------------------------------------------------

    private static final EdgeServer EDGE_1 = new EdgeServer("edge-1", "site-1", List.of(GPUS.require("a100-40gb")));
    private static final EdgeServer EDGE_2 = new EdgeServer("edge-2", "site-2", List.of(GPUS.require("l4")));
    private static final EdgeServer EDGE_3 = new EdgeServer("edge-3", "site-3",
            List.of(GPUS.require("jetson-agx-orin-64gb")));
    private static final EdgeServer EDGE_4 = new EdgeServer("edge-4", "site-4",
            List.of(GPUS.require("rtx-4090"), GPUS.require("l4")));
    private static final List<EdgeServer> SMALL_CITY = List.of(EDGE_1, EDGE_2, EDGE_3, EDGE_4);

    private static PromptSize typical(ModelSpec m) {
        return switch (m.modelClass()) {
            case CHAT -> PromptSize.text(800, 200);
            case VISION_LANGUAGE -> new PromptSize(60, 1, 1024L * 768, 0, 120, 0, 0, 300_000);
            case IMAGE_GENERATION -> new PromptSize(40, 0, 0, 0, 0, 4, 512L * 512, 160);
            case SPEECH_RECOGNITION -> new PromptSize(0, 0, 0, 20, 0, 0, 0, 320_000);
            case SPEECH_SYNTHESIS -> PromptSize.text(60, 0);
        };
    }

    /** Demand for every catalog model except {@code leftOut}; chat 8B at {@code chatRate}, the rest at 0.3/s. */
    private static List<ModelDemand> demand(double chatRate, String... leftOut) {
        Set<String> skip = Set.of(leftOut);
        return MODELS.models().stream().filter(m -> !skip.contains(m.id()))
                .map(m -> new ModelDemand(m, m.id().equals("llama-3.1-8b-instruct") ? chatRate : 0.3, typical(m)))
                .toList();
    }

    private static Placement placement(Object... serverThenModels) {
        Map<String, List<Deployment>> m = new LinkedHashMap<>();
        String server = null;
        for (Object o : serverThenModels) {
            if (o instanceof EdgeServer s) {
                server = s.id();
                m.put(server, new ArrayList<>());
            } else {
                m.get(server).add(new Deployment((String) o, 0, 1));
            }
        }
        return new Placement(m);
    }

    static Stream<Arguments> planningSituations() {
        Placement spread = placement(EDGE_1, "llama-3.1-8b-instruct", "qwen2.5-vl-7b", EDGE_2, "kokoro-82m",
                "whisper-large-v3-turbo", EDGE_3, "sdxl-turbo", "whisper-large-v3", EDGE_4, "sdxl",
                "llama-3.2-3b-instruct");
        return Stream.of(
                Arguments.of("from nothing", Set.of(), demand(2.0), Placement.EMPTY, RoutingWeights.NEUTRAL),
                Arguments.of("edge-3 down", Set.of("edge-3"), demand(2.0), spread, RoutingWeights.NEUTRAL),
                Arguments.of("sdxl no longer asked for, chat favoured", Set.of(), demand(6.0, "sdxl"), spread,
                        new RoutingWeights(Map.of(CHAT, 2.0, IMAGE, 0.5), Set.of(), Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("planningSituations")
    void planningPassesTheGuardAndCountsItsChanges(String name, Set<String> down, List<ModelDemand> demand,
                                                   Placement current, RoutingWeights weights) {
        PlanningSituation s = new PlanningSituation(T0, SMALL_CITY, down, demand, current, weights);
        PlanningDecision d = new OptimizerPlanningBrain().decide(s);

        assertEquals(List.of(), guard.check(s, d));
        int loads = 0;
        int unloads = 0;
        for (EdgeServer server : SMALL_CITY) {
            Set<String> before = modelsOn(current, server);
            Set<String> after = modelsOn(d.placement(), server);
            loads += (int) after.stream().filter(m -> !before.contains(m)).count();
            unloads += (int) before.stream().filter(m -> !after.contains(m)).count();
        }
        assertTrue(loads + unloads > 0, "each situation asks for some change: " + d.placement());
        assertEquals(String.format("%d deployments: %d to load, %d to unload (%d servers down)",
                d.placement().size(), loads, unloads, down.size()), d.rationale());
        for (String x : down) {
            assertEquals(List.of(), d.placement().deploymentsOf(x), "nothing on down server " + x);
        }
    }

    @Test
    void planningUnloadsWhatADownServerHeldAndWhatNobodyAsksFor() {
        Placement current = placement(EDGE_1, "llama-3.1-8b-instruct", EDGE_2, "sdxl", "kokoro-82m",
                EDGE_3, "whisper-large-v3-turbo");
        PlanningSituation s = new PlanningSituation(T0, SMALL_CITY, Set.of("edge-3"), demand(1.0, "sdxl"),
                current, RoutingWeights.NEUTRAL);
        PlanningDecision d = new OptimizerPlanningBrain().decide(s);
        assertEquals(List.of(), guard.check(s, d));
        assertEquals(List.of(), d.placement().deploymentsOf("edge-3"), "nothing on the down server");
        // Unloading sdxl is edge-2's one change this period: it keeps kokoro and loads nothing.
        assertEquals(List.of("kokoro-82m"), d.placement().deploymentsOf("edge-2").stream().map(Deployment::modelId)
                .toList());
        assertTrue(d.rationale().contains(", 2 to unload (1 servers down)"), d.rationale());
    }

    @Test
    void planningGivesTheFavouredClassTheLargerShareOfASharedGpu() {
        RoutingWeights chatFirst = new RoutingWeights(Map.of(CHAT, 2.0, SPEECH, 0.5), Set.of(), Map.of());
        List<EdgeServer> one = List.of(EDGE_1);
        List<ModelDemand> demand = List.of(
                new ModelDemand(MODELS.require("llama-3.1-8b-instruct"), 1.0, typical(MODELS.require("llama-3.1-8b-instruct"))),
                new ModelDemand(MODELS.require("whisper-large-v3-turbo"), 1.0,
                        typical(MODELS.require("whisper-large-v3-turbo"))));
        Placement p = new OptimizerPlanningBrain(PlacementPlanner.STATIC).decide(
                new PlanningSituation(T0, one, Set.of(), demand, Placement.EMPTY, chatFirst)).placement();
        double chat = p.find("edge-1", "llama-3.1-8b-instruct").orElseThrow().shareWeight();
        double speech = p.find("edge-1", "whisper-large-v3-turbo").orElseThrow().shareWeight();
        assertTrue(chat > speech, "chat " + chat + ", speech " + speech);
    }

    private static Set<String> modelsOn(Placement p, EdgeServer server) {
        Set<String> out = new HashSet<>();
        p.deploymentsOf(server.id()).forEach(d -> out.add(d.modelId()));
        return out;
    }

    // ---- on-node: OptimizerDeploymentBrain -------------------------------------------------------------------

    private static OnNodePacker.Current holds(String model, int gpu, int inFlight) {
        return new OnNodePacker.Current(model, gpu, 8, 1.0, inFlight, false);
    }

    static Stream<Arguments> deploymentSituations() {
        return Stream.of(
                // An L4 full with qwen + sdxl: sdxl drains, kokoro fits now, the 8B waits for sdxl's memory.
                Arguments.of("full L4", EDGE_2,
                        List.of(holds("qwen2.5-vl-7b", 0, 2), holds("sdxl", 0, 1)),
                        List.of(new Deployment("qwen2.5-vl-7b", 0, 8), new Deployment("llama-3.1-8b-instruct", 0, 8),
                                new Deployment("kokoro-82m", 0, 8)),
                        2, 1),
                // The plan names the full GPU 0 of a two-GPU server: the 8B goes to GPU 1; sdxl is resized to 4 slots.
                Arguments.of("named GPU full", EDGE_4,
                        List.of(holds("qwen2.5-vl-7b", 0, 0), holds("sdxl", 0, 0)),
                        List.of(new Deployment("qwen2.5-vl-7b", 0, 8), new Deployment("sdxl", 0, 4),
                                new Deployment("llama-3.1-8b-instruct", 0, 8)),
                        2, 0),
                // An empty A100 takes four models at once.
                Arguments.of("empty A100", EDGE_1, List.of(),
                        List.of(new Deployment("llama-3.1-8b-instruct", 0, 8), new Deployment("qwen2.5-vl-7b", 0, 8),
                                new Deployment("sdxl-turbo", 0, 4), new Deployment("whisper-large-v3", 0, 8)),
                        4, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deploymentSituations")
    void deploymentPlansPassTheGuard(String name, EdgeServer server, List<OnNodePacker.Current> current,
                                     List<Deployment> target, int actions, int deferred) {
        DeploymentSituation s = new DeploymentSituation(server, current, target);
        DeploymentDecision d = new OptimizerDeploymentBrain(MODELS).decide(s);
        assertEquals(List.of(), guard.check(s, d));
        assertEquals(actions, d.plan().actions().size(), d.plan().toString());
        assertEquals(deferred, d.plan().deferred().size(), d.plan().toString());
        assertEquals(actions + " actions, " + deferred + " deferred until memory frees", d.rationale());
    }
}
