package dev.edgeweave.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.util.ArrayList;
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

class LatencyPlannerTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final ModelSpec CHAT_8B = MODELS.require("llama-3.1-8b-instruct");
    private static final ModelSpec CHAT_3B = MODELS.require("llama-3.2-3b-instruct");
    private static final ModelSpec TTS = MODELS.require("kokoro-82m");

    /** A typical prompt of each class, as PlacementPlannerTest uses: the tests compare plans, not sizes. */
    private static PromptSize typical(ModelSpec m) {
        return switch (m.modelClass()) {
            case CHAT -> PromptSize.text(800, 200);
            case VISION_LANGUAGE -> new PromptSize(60, 1, 1024L * 768, 0, 120, 0, 0, 300_000);
            case IMAGE_GENERATION -> new PromptSize(40, 0, 0, 0, 0, 4, 512L * 512, 160);
            case SPEECH_RECOGNITION -> new PromptSize(0, 0, 0, 20, 0, 0, 0, 320_000);
            case SPEECH_SYNTHESIS -> PromptSize.text(60, 0);
        };
    }

    private static ModelDemand demand(ModelSpec m, double rate) {
        return new ModelDemand(m, rate, typical(m));
    }

    private static ModelDemand demand(ModelSpec m, double rate, double priority) {
        return new ModelDemand(m, rate, typical(m), priority);
    }

    private static EdgeServer server(String id, String... gpus) {
        return new EdgeServer(id, "site-" + id, Stream.of(gpus).map(GPUS::require).toList());
    }

    /** Seven single-GPU servers with the GPUs of the bristol-7 scenario. */
    private static List<EdgeServer> city() {
        return List.of(server("edge-1", "a100-40gb"), server("edge-2", "l4"), server("edge-3", "a10g"),
                server("edge-4", "rtx-4090"), server("edge-5", "jetson-agx-orin-64gb"),
                server("edge-6", "jetson-orin-nx-16gb"), server("edge-7", "l4"));
    }

    /** Every catalog model at {@code rate}, chat 8B at {@code chatRate}. */
    private static List<ModelDemand> everyModel(double rate, double chatRate) {
        return MODELS.models().stream().map(m -> demand(m, m == CHAT_8B ? chatRate : rate)).toList();
    }

    private static void assertWithinMemory(List<EdgeServer> servers, Placement p) {
        Set<String> ids = new HashSet<>();
        for (EdgeServer s : servers) {
            ids.add(s.id());
            long[] used = new long[s.gpus().size()];
            for (Deployment d : p.deploymentsOf(s.id())) {
                assertTrue(d.gpuIndex() < used.length, s.id() + " has no GPU " + d.gpuIndex() + ": " + p);
                used[d.gpuIndex()] += MODELS.require(d.modelId()).memoryBytes();
            }
            for (int g = 0; g < used.length; g++) {
                assertTrue(used[g] <= s.gpus().get(g).memoryBytes(), String.format("%s GPU %d holds %.2f GB of %.2f GB: %s",
                        s.id(), g, used[g] / 1e9, s.gpus().get(g).memoryBytes() / 1e9, p.deploymentsOf(s.id())));
            }
        }
        assertTrue(ids.containsAll(p.byServer().keySet()), "only known servers: " + p.byServer().keySet());
    }

    /** Loads plus unloads on one server between two placements (a move between its GPUs is neither). */
    private static int changes(Placement before, Placement after, String serverId) {
        Set<String> a = new HashSet<>();
        before.deploymentsOf(serverId).forEach(d -> a.add(d.modelId()));
        Set<String> b = new HashSet<>();
        after.deploymentsOf(serverId).forEach(d -> b.add(d.modelId()));
        int n = 0;
        for (String m : a) {
            n += b.contains(m) ? 0 : 1;
        }
        for (String m : b) {
            n += a.contains(m) ? 0 : 1;
        }
        return n;
    }

    // ---- (a) memory ---------------------------------------------------------------------------------------

    /**
     * Random cities of 1-8 servers with 1-3 random GPUs each, random demand and priorities (some models with
     * none): the static plan from nothing, and a dynamic re-plan from an arbitrary, possibly over-full
     * placement, both fit every GPU's memory. Seeded by the repetition, so a failure replays.
     */
    @RepeatedTest(60)
    void neverExceedsGpuMemory(RepetitionInfo repetition) {
        Random r = new Random(repetition.getCurrentRepetition());
        List<GpuType> types = GPUS.gpus();
        List<EdgeServer> servers = new ArrayList<>();
        int nServers = 1 + r.nextInt(8);
        for (int s = 0; s < nServers; s++) {
            List<GpuType> gpus = new ArrayList<>();
            int nGpus = 1 + r.nextInt(3);
            for (int g = 0; g < nGpus; g++) {
                gpus.add(types.get(r.nextInt(types.size())));
            }
            servers.add(new EdgeServer("s" + s, "site-" + s, gpus));
        }
        List<ModelDemand> demands = new ArrayList<>();
        for (ModelSpec m : MODELS.models()) {
            double rate = r.nextInt(4) == 0 ? 0 : r.nextDouble() * 8;
            demands.add(demand(m, rate, 0.5 + 1.5 * r.nextDouble()));
        }

        Placement fresh = LatencyPlanner.plan(servers, demands, Placement.EMPTY, PlacementPlanner.STATIC);
        assertWithinMemory(servers, fresh);

        // An arbitrary current placement: each server holds a random subset of models on random GPUs,
        // regardless of memory (as after a GPU type change or a hand edit).
        Map<String, List<Deployment>> arbitrary = new LinkedHashMap<>();
        for (EdgeServer s : servers) {
            List<Deployment> list = new ArrayList<>();
            for (ModelSpec m : MODELS.models()) {
                if (r.nextBoolean()) {
                    list.add(new Deployment(m.id(), r.nextInt(s.gpus().size()), 1));
                }
            }
            arbitrary.put(s.id(), list);
        }
        Placement replanned = LatencyPlanner.plan(servers, demands, new Placement(arbitrary), PlacementPlanner.DYNAMIC);
        assertWithinMemory(servers, replanned);
    }

    // ---- (b) every model with demand is served --------------------------------------------------------------

    static Stream<Arguments> roomyCities() {
        return Stream.of(
                Arguments.of("seven servers, fast to slow", city()),
                Arguments.of("one server, two H100s", List.of(server("big", "h100-sxm", "h100-sxm"))),
                Arguments.of("two Jetson AGX 64GB", List.of(server("j1", "jetson-agx-orin-64gb"),
                        server("j2", "jetson-agx-orin-64gb"))),
                Arguments.of("A100 and L4 on one server", List.of(server("mixed", "a100-40gb", "l4"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roomyCities")
    void everyModelWithDemandGetsAReplicaWhenMemoryAllows(String name, List<EdgeServer> servers) {
        // Every catalog model together needs 51.7 GB in 8 deployments, which each city holds within 4 per GPU.
        List<ModelDemand> demands = everyModel(0.3, 2.0);
        Placement p = LatencyPlanner.plan(servers, demands, Placement.EMPTY, PlacementPlanner.STATIC);
        for (ModelDemand d : demands) {
            assertFalse(p.serversHolding(d.model().id()).isEmpty(), d.model().id() + " has no replica in " + p);
        }
        assertWithinMemory(servers, p);
    }

    // ---- (c) speed --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "listed {0}")
    @MethodSource("fastAndSlowOrders")
    void theFastGpuHoldsAChatModel(String order, List<EdgeServer> servers) {
        Placement p = LatencyPlanner.plan(servers, List.of(demand(CHAT_8B, 0.5)), Placement.EMPTY,
                PlacementPlanner.STATIC);
        assertTrue(p.holds("fast", CHAT_8B.id()), "the A100 holds chat: " + p);
        // At 0.5 prompts/s the A100 is far from busy: a Jetson replica would carry nothing, so none is added.
        assertFalse(p.holds("slow", CHAT_8B.id()), "no idle replica on the Jetson: " + p);
    }

    static Stream<Arguments> fastAndSlowOrders() {
        EdgeServer fast = server("fast", "a100-40gb");
        EdgeServer slow = server("slow", "jetson-orin-nx-16gb");
        return Stream.of(Arguments.of("fast first", List.of(fast, slow)), Arguments.of("slow first", List.of(slow, fast)));
    }

    // ---- (d) demand ---------------------------------------------------------------------------------------

    /**
     * Six identical GPUs, so a replica is worth the same anywhere. (On a mixed city a model with little demand
     * may rightly take slow GPUs that the hot model gains nothing from: the objective counts latency, not
     * replicas.)
     */
    static Stream<Arguments> skewedDemand() {
        return Stream.of(
                Arguments.of("a100-40gb", CHAT_8B, 5.0, CHAT_3B),
                Arguments.of("a100-40gb", CHAT_3B, 5.0, CHAT_8B),
                Arguments.of("rtx-4090", CHAT_8B, 2.0, TTS),
                Arguments.of("rtx-4090", MODELS.require("sdxl-turbo"), 5.0, CHAT_8B),
                Arguments.of("l4", CHAT_3B, 2.0, CHAT_8B));
    }

    @ParameterizedTest(name = "6 x {0}: {1} at {2}/s")
    @MethodSource("skewedDemand")
    void theModelWithMuchMoreDemandGetsMoreReplicas(String gpu, ModelSpec hot, double hotRate, ModelSpec cold) {
        List<EdgeServer> six = Stream.of("e1", "e2", "e3", "e4", "e5", "e6").map(id -> server(id, gpu)).toList();
        Placement p = LatencyPlanner.plan(six, List.of(demand(hot, hotRate), demand(cold, 0.05)), Placement.EMPTY,
                PlacementPlanner.STATIC);
        int hotReplicas = p.serversHolding(hot.id()).size();
        int coldReplicas = p.serversHolding(cold.id()).size();
        assertTrue(coldReplicas >= 1, "the cold model is still served: " + p);
        assertTrue(hotReplicas > coldReplicas, hot.id() + " " + hotReplicas + " replicas vs " + cold.id() + " "
                + coldReplicas + ": " + p);
    }

    // ---- (e) churn ----------------------------------------------------------------------------------------

    static Stream<Arguments> dynamicStarts() {
        Placement lowDemand = LatencyPlanner.plan(city(), everyModel(0.1, 0.1), Placement.EMPTY,
                PlacementPlanner.STATIC);
        Placement chatEverywhere = new Placement(Map.of(
                "edge-1", List.of(new Deployment(CHAT_8B.id(), 0, 8), new Deployment(TTS.id(), 0, 1)),
                "edge-2", List.of(new Deployment(CHAT_8B.id(), 0, 8)),
                "edge-3", List.of(new Deployment(CHAT_8B.id(), 0, 8)),
                "edge-4", List.of(new Deployment(CHAT_8B.id(), 0, 8)),
                "edge-6", List.of(new Deployment(CHAT_8B.id(), 0, 8))));
        List<ModelDemand> noSdxl = everyModel(1.0, 3.0).stream().filter(d -> !d.model().id().equals("sdxl")).toList();
        return Stream.of(
                Arguments.of("from nothing", Placement.EMPTY, everyModel(1.0, 3.0)),
                // Dropping sdxl is an unload: the A100 that held it takes nothing else this period, though
                // every model without a replica would like it best.
                Arguments.of("sdxl no longer asked for", new Placement(Map.of("edge-1", List.of(
                        new Deployment(CHAT_8B.id(), 0, 8), new Deployment("sdxl", 0, 4)))), noSdxl),
                Arguments.of("low demand turned hot chat", lowDemand, everyModel(0.1, 15.0)),
                Arguments.of("chat everywhere turned to images", chatEverywhere, everyModel(2.0, 0.2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dynamicStarts")
    void aDynamicPlanMakesAtMostOneChangePerServer(String name, Placement start, List<ModelDemand> demands) {
        Placement next = LatencyPlanner.plan(city(), demands, start, PlacementPlanner.DYNAMIC);
        int total = 0;
        for (EdgeServer s : city()) {
            int n = changes(start, next, s.id());
            assertTrue(n <= 1, s.id() + " changed " + n + " deployments: " + start.deploymentsOf(s.id()) + " -> "
                    + next.deploymentsOf(s.id()));
            total += n;
        }
        assertTrue(total > 0, "the demand moved, so the plan should change something: " + next);
    }

    // ---- (f) hysteresis -----------------------------------------------------------------------------------

    static Stream<Arguments> steadyDemands() {
        return Stream.of(
                Arguments.of("seven servers, light", city(), everyModel(0.1, 0.5)),
                Arguments.of("seven servers, chat only", city(), List.of(demand(CHAT_8B, 3.0), demand(CHAT_3B, 1.0))),
                Arguments.of("three servers, hot chat", city().subList(0, 3), everyModel(0.2, 4.0)),
                Arguments.of("one two-GPU server, every model", List.of(server("mixed", "a100-40gb", "l4")),
                        everyModel(0.3, 2.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steadyDemands")
    void replanningTheSameDemandFromTheStaticPlanChangesNothing(String name, List<EdgeServer> servers,
                                                                List<ModelDemand> demands) {
        Placement first = LatencyPlanner.plan(servers, demands, Placement.EMPTY, PlacementPlanner.STATIC);
        assertEquals(first, LatencyPlanner.plan(servers, demands, first, PlacementPlanner.DYNAMIC));
    }

    /**
     * Where the static search stops at its step budget (seven servers, eight models, hot chat: 12 steps), the
     * periodic re-plan finishes the job, but only with changes worth the minimum improvement, and then holds
     * still, also when demand wobbles by 2%.
     */
    @Test
    void periodicReplansOfASteadyDemandSettleAndThenHoldStill() {
        List<ModelDemand> demands = everyModel(0.2, 6.0);
        Placement p = LatencyPlanner.plan(city(), demands, Placement.EMPTY, PlacementPlanner.STATIC);
        int periods = 0;
        for (Placement next; !(next = LatencyPlanner.plan(city(), demands, p, PlacementPlanner.DYNAMIC)).equals(p);
             p = next) {
            double before = LatencyPlanner.cost(city(), demands, p);
            double after = LatencyPlanner.cost(city(), demands, next);
            assertTrue(after <= before * (1 - PlacementPlanner.DYNAMIC.minImprovement()),
                    "period " + periods + " changed the placement for " + before + " -> " + after);
            assertTrue(++periods <= 5, "still changing after 5 periods: " + next);
        }
        for (double wobble : new double[] {0.98, 1.02}) {
            List<ModelDemand> wobbled = demands.stream()
                    .map(d -> new ModelDemand(d.model(), d.rate() * wobble, d.typical(), d.priority())).toList();
            assertEquals(p, LatencyPlanner.plan(city(), wobbled, p, PlacementPlanner.DYNAMIC), "demand x " + wobble);
        }
    }

    // ---- (g) cost -----------------------------------------------------------------------------------------

    @Test
    void aModelWithDemandAndNoReplicaCostsFarMoreThanAnyRealLatency() {
        List<EdgeServer> one = List.of(server("e", "a100-40gb"));
        List<ModelDemand> demands = List.of(demand(CHAT_8B, 1.0), demand(TTS, 1.0));
        Placement both = new Placement(Map.of("e", List.of(new Deployment(CHAT_8B.id(), 0, 8),
                new Deployment(TTS.id(), 0, 1))));
        Placement chatOnly = new Placement(Map.of("e", List.of(new Deployment(CHAT_8B.id(), 0, 8))));

        double served = LatencyPlanner.cost(one, demands, both);
        double unserved = LatencyPlanner.cost(one, demands, chatOnly);
        assertTrue(served > 0 && served < 100, "both served costs real seconds: " + served);
        assertTrue(unserved > 1000 * served, "unserved " + unserved + " vs served " + served);
    }

    @Test
    void costRisesWithDemandOnTheSamePlacement() {
        List<EdgeServer> one = List.of(server("e", "l4"));
        Placement p = new Placement(Map.of("e", List.of(new Deployment(CHAT_8B.id(), 0, 8))));
        double light = LatencyPlanner.cost(one, List.of(demand(CHAT_8B, 0.1)), p);
        double heavy = LatencyPlanner.cost(one, List.of(demand(CHAT_8B, 0.4)), p);
        // Four times the prompts, each waiting longer on the busier GPU: more than four times the cost.
        assertTrue(heavy > 4 * light, "light " + light + ", heavy " + heavy);
    }

    // ---- (h) share weights ----------------------------------------------------------------------------------

    static Stream<Arguments> priorities() {
        return Stream.of(Arguments.of(2.0, 1.0), Arguments.of(1.0, 2.0), Arguments.of(1.0, 1.0),
                Arguments.of(0.5, 1.5));
    }

    @ParameterizedTest(name = "chat priority {0}, speech priority {1}")
    @MethodSource("priorities")
    void theHigherPriorityModelGetsTheLargerShareWeight(double chatPriority, double ttsPriority) {
        List<EdgeServer> one = List.of(server("e", "a100-40gb"));
        Placement p = LatencyPlanner.plan(one, List.of(demand(CHAT_8B, 1.0, chatPriority),
                demand(TTS, 1.0, ttsPriority)), Placement.EMPTY, PlacementPlanner.STATIC);
        double chat = p.find("e", CHAT_8B.id()).orElseThrow().shareWeight();
        double tts = p.find("e", TTS.id()).orElseThrow().shareWeight();
        assertEquals(Double.compare(chatPriority, ttsPriority), Double.compare(chat, tts),
                "chat share " + chat + ", speech share " + tts);
        // Normalised to a geometric mean of 1 (up to the rounding to two decimals).
        assertEquals(1.0, Math.sqrt(chat * tts), 0.01, "chat share " + chat + ", speech share " + tts);
    }
}
