package dev.edgeweave.testbed.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.AccessPoint;
import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.city.EdgeSite;
import dev.edgeweave.core.city.GeoPoint;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.city.RadioTech;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.latency.DeploymentReadiness;
import dev.edgeweave.core.latency.LatencyBreakdown;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.PlacementPlanner;
import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.EdgeweaveRouter;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.edgeweave.core.server.DeploymentView;
import dev.edgeweave.core.server.EmulatedServer;
import dev.edgeweave.core.server.Job;
import dev.edgeweave.core.server.ServerListener;
import dev.edgeweave.core.sim.DiscreteEventScheduler;
import dev.edgeweave.scheduler.CityState;
import dev.edgeweave.scheduler.Dispatcher;
import dev.edgeweave.scheduler.SchedulerSettings;
import dev.edgeweave.schemas.ModelClasses;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.BrainKind;
import dev.edgeweave.v1.ClassWeight;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.EndpointKind;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeCap;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.RoutingPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The streams scheduler routes as the testbed evaluates: for the same city state, the testbed engine's
 * candidate view ({@link EngineView}, the one {@link Simulation} routes with) and the scheduler's
 * ({@link Dispatcher#candidates}, built from {@code NodeState} and {@code LinkSample} records in a
 * {@link CityState}) hand {@link EdgeweaveRouter} the same inputs, figure by figure, so both choose the same
 * server and predict the same latency breakdown.
 *
 * <p><b>How the state is expressed twice.</b> The testbed side is real: four {@link EmulatedServer}s on a
 * discrete-event clock, loaded and given jobs until they hold the state below, seen through an
 * {@code EngineView} built over them exactly as {@code Simulation} builds it (the view was moved out of
 * {@code Simulation} into its own package-private class for this, unchanged, which is less invasive than
 * reaching it through a run and more honest than re-implementing it here). The scheduler side gets what the
 * servers' connectors would publish: {@link #report} turns each emulated server into its {@code NodeState}
 * (GPUs and memory used, deployments with status, ETA, queue, running, slots, share weight and mean service
 * time — the figures a connector reads off its server), the measured link becomes a {@code LinkSample} in
 * telemetry units (ms, Mbit/s) while the testbed's city carries it in seconds and bit/s, and the routing
 * policy becomes a {@code RoutingPolicy} record where the testbed holds {@link RoutingWeights}. The
 * scheduler's city map is the city <i>without</i> the measured link, so that link reaches it only through
 * telemetry.
 *
 * <p><b>The city</b> (city time 100 s; servers listed by id, so the testbed's server index and the
 * scheduler's, which sorts by id, agree — the router breaks exact ties by it):
 * <ul>
 *   <li>{@code edge-1}, A100 40GB: chat (4 slots) with 4 running and 2 queued; Whisper turbo (weight 0.5)
 *       running 1 on the same GPU;</li>
 *   <li>{@code edge-2}, two L4s: chat (2 slots) running 1 on GPU 0; Whisper turbo <b>loading</b> on GPU 1,
 *       ready in 9 s, one prompt waiting for it;</li>
 *   <li>{@code edge-3}, RTX 4090: chat (8 slots) idle beside SDXL-Turbo (weight 2) running 1, so chat gets a
 *       third of the GPU; Kokoro <b>draining</b>; the link from {@code ap-1} is <b>measured</b>;</li>
 *   <li>{@code edge-4}, Jetson AGX Orin 64GB: Qwen2.5-VL idle, room for others (cold starts).</li>
 * </ul>
 * The table routes chat, speech, vision, image and speech-synthesis prompts from both access points, with
 * servers excluded by earlier attempts, with a policy that weights classes, excludes a server and caps a
 * queue; a burst checks that the local deltas (the testbed's prompts in transit) move both the same way; a
 * server whose failure was noticed (a stale heartbeat for the scheduler) is left out by both.
 */
class RoutingEqualityTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog MODELS = ModelCatalog.standard();
    private static final ModelSpec CHAT = MODELS.require("llama-3.1-8b-instruct");
    private static final ModelSpec ASR = MODELS.require("whisper-large-v3-turbo");
    private static final ModelSpec VLM = MODELS.require("qwen2.5-vl-7b");
    private static final ModelSpec IMAGE = MODELS.require("sdxl-turbo");
    private static final ModelSpec TTS = MODELS.require("kokoro-82m");
    private static final ModelCatalog CATALOG = new ModelCatalog(List.of(CHAT, ASR, VLM, IMAGE, TTS));

    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    /** City seconds of the decisions: every static load done, the loading one started. */
    private static final double NOW_S = 100.0;
    private static final Instant NOW = T0.plusMillis(Math.round(NOW_S * 1000));

    private static final PromptSize CHAT_SHORT = PromptSize.text(400, 120);
    private static final PromptSize CHAT_LONG = new PromptSize(3000, 0, 0, 0, 900, 0, 0, 12_000);
    private static final PromptSize SPEECH = new PromptSize(0, 0, 0, 20.0, 0, 0, 0, 320_000);
    private static final PromptSize PHOTO = new PromptSize(200, 1, 1024L * 1024, 0, 150, 0, 0, 450_000);
    private static final PromptSize PICTURE = new PromptSize(40, 0, 0, 0, 0, 4, 1024L * 1024, 160);
    private static final PromptSize SPEAK = PromptSize.text(60, 0);

    /** The policy of the weighted rows: chat's queue counts 3x, speech's half; edge-4 gets nothing; edge-1 queues at most 2. */
    private static final RoutingWeights POLICY = new RoutingWeights(
            Map.of(ModelClass.CHAT, 3.0, ModelClass.SPEECH_RECOGNITION, 0.5), Set.of("edge-4"), Map.of("edge-1", 2));

    /** One prompt of the table. */
    private record Row(String name, ModelSpec model, PromptSize size, String accessPoint, List<String> excluded,
                       RoutingWeights weights) {
    }

    private static final List<Row> TABLE = List.of(
            new Row("chat from the 5G cell", CHAT, CHAT_SHORT, "ap-1", List.of(), RoutingWeights.NEUTRAL),
            new Row("long chat from the LTE cell", CHAT, CHAT_LONG, "ap-2", List.of(), RoutingWeights.NEUTRAL),
            new Row("chat handed back by edge-3", CHAT, CHAT_SHORT, "ap-1", List.of("edge-3"), RoutingWeights.NEUTRAL),
            new Row("chat handed back by edge-3 and edge-2", CHAT, CHAT_LONG, "ap-1", List.of("edge-3", "edge-2"),
                    RoutingWeights.NEUTRAL),
            new Row("chat under the policy", CHAT, CHAT_SHORT, "ap-1", List.of(), POLICY),
            new Row("long chat under the policy", CHAT, CHAT_LONG, "ap-2", List.of("edge-3"), POLICY),
            new Row("speech: ready, loading or cold", ASR, SPEECH, "ap-2", List.of(), RoutingWeights.NEUTRAL),
            new Row("speech handed back by edge-1", ASR, SPEECH, "ap-1", List.of("edge-1"), RoutingWeights.NEUTRAL),
            new Row("speech under the policy", ASR, SPEECH, "ap-1", List.of(), POLICY),
            new Row("photo question", VLM, PHOTO, "ap-1", List.of(), RoutingWeights.NEUTRAL),
            new Row("photo question handed back by its only holder: cold starts", VLM, PHOTO, "ap-2",
                    List.of("edge-4"), RoutingWeights.NEUTRAL),
            new Row("picture", IMAGE, PICTURE, "ap-1", List.of(), RoutingWeights.NEUTRAL),
            new Row("speech synthesis: its holder drains, so cold starts", TTS, SPEAK, "ap-2", List.of(),
                    RoutingWeights.NEUTRAL),
            new Row("speech synthesis under the policy", TTS, SPEAK, "ap-1", List.of("edge-1"), POLICY));

    @Test
    void everyRowGetsTheSameInputsChoiceAndPrediction() {
        Fixture f = new Fixture();
        Set<String> chosen = new HashSet<>();
        Set<DeploymentReadiness.Kind> kinds = new HashSet<>();
        for (int i = 0; i < TABLE.size(); i++) {
            Row row = TABLE.get(i);
            f.policy(row.weights());
            Decision testbed = f.testbed(i, row);
            Decision scheduler = f.scheduler(new Dispatcher(f.city, Optional.of(f.map), SchedulerSettings.DEFAULTS), i,
                    row);
            assertEquals(testbed, scheduler, row.name());
            assertTrue(testbed.server() != null, row.name() + ": the table's prompts all have a server");
            chosen.add(testbed.server());
            testbed.inputs().forEach(c -> kinds.add(c.readiness().kind()));
        }
        // The table exercises what it claims: several servers chosen, every kind of candidate seen.
        assertTrue(chosen.size() >= 3, "servers chosen: " + chosen);
        assertEquals(Set.of(DeploymentReadiness.Kind.READY, DeploymentReadiness.Kind.LOADING,
                DeploymentReadiness.Kind.COLD), kinds);
    }

    @Test
    void aBurstMovesBothTheSameWay() {
        Fixture f = new Fixture();
        Dispatcher dispatcher = new Dispatcher(f.city, Optional.of(f.map), SchedulerSettings.DEFAULTS);
        List<String> sequence = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            Row row = k % 4 == 3 ? new Row("burst speech " + k, ASR, SPEECH, "ap-2", List.of(), RoutingWeights.NEUTRAL)
                    : new Row("burst chat " + k, CHAT, CHAT_SHORT, "ap-1", List.of(), RoutingWeights.NEUTRAL);
            Decision testbed = f.testbed(k, row);
            Decision scheduler = f.scheduler(dispatcher, k, row);
            assertEquals(testbed, scheduler, row.name());
            // The testbed's prompt is now in transit to its server (Simulation.route); the dispatcher counted
            // the same prompt in its local delta when it chose.
            f.inTransit[f.serverIndex(testbed.server())][f.setup.modelIndex(row.model().id())]++;
            f.transitTotal[f.serverIndex(testbed.server())]++;
            sequence.add(testbed.server());
        }
        assertTrue(new HashSet<>(sequence).size() >= 2, "a burst spreads: " + sequence);
    }

    @Test
    void aServerNoticedDownIsLeftOutByBoth() {
        Fixture f = new Fixture();
        // The testbed notices a failure after missed heartbeats; the scheduler sees edge-1's heartbeat go stale.
        f.routerDown[0] = true;
        f.heartbeat(0, NOW.minusSeconds(4), 2);
        for (int i = 0; i < TABLE.size(); i++) {
            Row row = TABLE.get(i);
            f.policy(row.weights());
            Decision testbed = f.testbed(i, row);
            assertEquals(testbed, f.scheduler(new Dispatcher(f.city, Optional.of(f.map), SchedulerSettings.DEFAULTS),
                    i, row), row.name());
            assertTrue(testbed.inputs().stream().noneMatch(c -> c.serverId().equals("edge-1")), row.name());
        }
    }

    // ---- the two sides ----------------------------------------------------------------------------------

    /** Everything a router reads of one candidate. */
    private record Input(int serverIndex, String serverId, String gpu, NetworkPath path, double distanceKm,
                         DeploymentReadiness readiness, int queued, int running, int concurrency,
                         double meanServiceSeconds, double storageBytesPerSecond, int serverInFlight,
                         double memoryUtilisation, double gpuUtilisation, double gpuShare) {

        static List<Input> of(Candidates c) {
            List<Input> out = new ArrayList<>();
            for (int i = 0; i < c.size(); i++) {
                out.add(new Input(c.serverIndex(i), c.serverId(i), c.gpu(i).id(), c.path(i), c.distanceKm(i),
                        c.readiness(i), c.queued(i), c.running(i), c.concurrency(i), c.meanServiceSeconds(i),
                        c.storageBytesPerSecond(i), c.serverInFlight(i), c.memoryUtilisation(i), c.gpuUtilisation(i),
                        c.gpuShare(i)));
            }
            return out;
        }
    }

    /** What one side made of a prompt: the router's inputs, its choice, and the prediction for it. */
    private record Decision(List<Input> inputs, String server, LatencyBreakdown predicted) {
    }

    private static final class Fixture {
        final DiscreteEventScheduler clock = new DiscreteEventScheduler();
        final City map;
        final City testbedCity;
        final EngineSetup setup;
        final EmulatedServer[] servers;
        final DeploymentView[][] deployments;
        final boolean[] routerDown;
        final Map<Integer, BitSet> excluded = new HashMap<>();
        final int[][] inTransit;
        final int[] transitTotal;
        final double[][] gpuUtil;
        final ModelSpec[] models;
        final int[] concurrency;
        final EngineView view;
        final CityState city;
        RoutingWeights weights = RoutingWeights.NEUTRAL;
        private long policyVersion;

        Fixture() {
            List<EdgeServer> list = List.of(
                    new EdgeServer("edge-1", "site-1", List.of(GPUS.require("a100-40gb"))),
                    // Storage at a quarter of Whisper turbo's weights a second: its load takes 4 s + 5 s of engine
                    // start, so the ETA is a whole number of milliseconds, as a NodeState carries it.
                    new EdgeServer("edge-2", "site-2", List.of(GPUS.require("l4"), GPUS.require("l4")),
                            ASR.weightBytes() / 4.0),
                    new EdgeServer("edge-3", "site-3", List.of(GPUS.require("rtx-4090"))),
                    new EdgeServer("edge-4", "site-1", List.of(GPUS.require("jetson-agx-orin-64gb"))));
            map = new City(
                    List.of(new AccessPoint("ap-1", new GeoPoint(51.4545, -2.5879), RadioTech.NR_SA),
                            new AccessPoint("ap-2", new GeoPoint(51.4700, -2.6200), RadioTech.LTE)),
                    List.of(new EdgeSite("site-1", new GeoPoint(51.4600, -2.5900)),
                            new EdgeSite("site-2", new GeoPoint(51.4400, -2.6100)),
                            new EdgeSite("site-3", new GeoPoint(51.4800, -2.5500))),
                    list);
            // The measured link as the testbed holds it (seconds, bit/s); the scheduler gets it as a LinkSample.
            testbedCity = map.withMeasured("ap-1", "edge-3", NetworkPath.measured(12.5 / 1000.0, 50 * 1e6, 400 * 1e6));
            List<ModelDemand> mix = new ArrayList<>();
            for (ModelSpec m : CATALOG.models()) {
                mix.add(new ModelDemand(m, 1.0 / CATALOG.models().size(), PromptSize.text(100, 100)));
            }
            setup = new EngineSetup(testbedCity, CATALOG, mix);
            int n = list.size();
            int nModels = CATALOG.models().size();
            servers = new EmulatedServer[n];
            deployments = new DeploymentView[n][nModels];
            routerDown = new boolean[n];
            inTransit = new int[n][nModels];
            transitTotal = new int[n];
            gpuUtil = new double[n][];
            models = CATALOG.models().toArray(new ModelSpec[0]);
            concurrency = new int[nModels];
            for (int m = 0; m < nModels; m++) {
                concurrency[m] = PlacementPlanner.concurrencyFor(models[m]);
            }
            for (int s = 0; s < n; s++) {
                servers[s] = new EmulatedServer(s, list.get(s), clock, ServerListener.NONE);
                gpuUtil[s] = new double[list.get(s).gpus().size()];
            }
            view = new EngineView(setup, Policies.parse(Policies.EDGEWEAVE).get(0), clock, servers, deployments,
                    routerDown, excluded, inTransit, transitTotal, gpuUtil, models, concurrency);

            // The static part, loaded at 0 and ready well before 100 s.
            load(0, CHAT, 0, 4, 1.0);
            load(0, ASR, 0, 2, 0.5);
            load(1, CHAT, 0, 2, 1.0);
            load(2, CHAT, 0, 8, 1.0);
            load(2, IMAGE, 0, 1, 2.0);
            load(2, TTS, 0, 1, 1.0);
            load(3, VLM, 0, 2, 1.0);
            clock.runUntil(NOW_S);
            // edge-2 starts loading Whisper turbo now: ready at 109 s.
            load(1, ASR, 1, 2, 1.0);
            // The work in flight at 100 s.
            for (int k = 0; k < 6; k++) {
                submit(0, CHAT, CHAT_LONG);
            }
            submit(0, ASR, SPEECH);
            submit(1, CHAT, CHAT_LONG);
            submit(1, ASR, SPEECH);
            submit(2, IMAGE, PICTURE);
            submit(2, TTS, SPEAK);
            servers[2].unload(TTS.id()); // drains: its prompt finishes, nothing new goes there
            gpuUtil[0][0] = 0.9;
            gpuUtil[1][0] = 0.4;
            gpuUtil[2][0] = 0.75;

            // The state is what the class comment says.
            check(0, CHAT, dev.edgeweave.core.server.DeploymentStatus.READY, 2, 4);
            check(0, ASR, dev.edgeweave.core.server.DeploymentStatus.READY, 0, 1);
            check(1, CHAT, dev.edgeweave.core.server.DeploymentStatus.READY, 0, 1);
            check(1, ASR, dev.edgeweave.core.server.DeploymentStatus.LOADING, 1, 0);
            assertEquals(NOW_S + 9.0, deployments[1][setup.modelIndex(ASR.id())].readyAt());
            check(2, IMAGE, dev.edgeweave.core.server.DeploymentStatus.READY, 0, 1);
            check(2, TTS, dev.edgeweave.core.server.DeploymentStatus.DRAINING, 0, 1);
            check(3, VLM, dev.edgeweave.core.server.DeploymentStatus.READY, 0, 0);

            // The scheduler's side: what the connectors and the network probes would have published.
            city = new CityState(GPUS, Set.of("edge-1", "edge-2", "edge-3", "edge-4"));
            for (int s = 0; s < n; s++) {
                heartbeat(s, NOW, 1);
            }
            city.update(Topics.linkKey("ap-1", "edge-3"), LinkSample.newBuilder().setFromId("ap-1")
                    .setFromKind(EndpointKind.ACCESS_POINT).setToId("edge-3").setRttMillis(12.5).setUplinkMbps(50)
                    .setDownlinkMbps(400).setMeasuredAt(NOW).setProbes(5).build());
        }

        private void load(int s, ModelSpec m, int gpu, int slots, double share) {
            deployments[s][setup.modelIndex(m.id())] = servers[s].load(m, gpu, slots, share);
        }

        private long jobs;

        private void submit(int s, ModelSpec m, PromptSize size) {
            assertTrue(servers[s].submit(new Job(jobs++, m, size, clock.now(), null)));
        }

        private void check(int s, ModelSpec m, dev.edgeweave.core.server.DeploymentStatus status, int queued,
                           int running) {
            DeploymentView d = deployments[s][setup.modelIndex(m.id())];
            assertEquals(List.of(status, queued, running), List.of(d.status(), d.queued(), d.running()),
                    m.id() + " on " + servers[s].spec().id());
        }

        /** Server {@code s}'s state as its connector would publish it at {@code at}. */
        void heartbeat(int s, Instant at, long sequence) {
            NodeState state = report(servers[s], gpuUtil[s], at, sequence);
            city.update(state.getNodeId(), state);
        }

        void policy(RoutingWeights w) {
            weights = w;
            List<ClassWeight> classes = new ArrayList<>();
            w.classWeights().forEach((c, x) -> classes.add(ClassWeight.newBuilder()
                    .setModelClass(ModelClasses.toAvro(c)).setWeight(x).build()));
            List<NodeCap> caps = new ArrayList<>();
            w.maxQueued().forEach((node, q) -> caps.add(NodeCap.newBuilder().setNodeId(node).setMaxQueued(q).build()));
            city.update(RoutingPolicy.newBuilder().setVersion(++policyVersion).setIssuedAt(NOW)
                    .setClassWeights(classes).setExcludedNodeIds(new ArrayList<>(w.excluded())).setNodeCaps(caps)
                    .setBrain(BrainKind.OPTIMIZER).build());
            assertEquals(w, city.weights());
        }

        int serverIndex(String id) {
            for (int s = 0; s < servers.length; s++) {
                if (servers[s].spec().id().equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(id);
        }

        Decision testbed(int prompt, Row row) {
            BitSet ex = new BitSet();
            row.excluded().forEach(id -> ex.set(serverIndex(id)));
            excluded.put(prompt, ex);
            int ap = row.accessPoint().equals("ap-1") ? 0 : 1;
            view.build(prompt, setup.modelIndex(row.model().id()), ap);
            excluded.remove(prompt);
            RouteRequest request = request(prompt, row);
            EdgeweaveRouter router = new EdgeweaveRouter(() -> weights);
            int c = view.size() == 0 ? -1 : router.choose(request, view);
            return new Decision(Input.of(view), c < 0 ? null : view.serverId(c),
                    c < 0 ? null : EdgeweaveRouter.predict(request, view, c));
        }

        Decision scheduler(Dispatcher dispatcher, int prompt, Row row) {
            List<Input> inputs = Input.of(dispatcher.candidates(row.model(), row.accessPoint(), row.excluded(), NOW));
            RouteRequest r = request(prompt, row);
            Optional<Dispatcher.Choice> choice = dispatcher.choose(r.promptId(), r.model(), r.size(), r.userId(),
                    r.accessPointId(), r.sloSeconds(), row.excluded(), NOW);
            return new Decision(inputs, choice.map(Dispatcher.Choice::nodeId).orElse(null),
                    choice.map(Dispatcher.Choice::predicted).orElse(null));
        }

        private static RouteRequest request(int prompt, Row row) {
            return new RouteRequest(Integer.toString(prompt), row.model(), row.size(), "user-1", row.accessPoint(), 30,
                    LatencyLaws.referenceInferenceSeconds(row.model(), row.size()));
        }
    }

    /**
     * The {@code NodeState} of an emulated server: what a connector reads off its server and publishes. GPUs
     * with their memory held and recent utilisation; every deployment in the server's order (the order a share
     * of a GPU is summed in), with its status, ETA while loading, queue, running prompts, slots, share weight
     * and mean service time.
     */
    static NodeState report(EmulatedServer e, double[] utilisation, Instant heartbeatAt, long sequence) {
        List<GpuState> gpus = new ArrayList<>();
        for (int g = 0; g < e.gpuCount(); g++) {
            gpus.add(GpuState.newBuilder().setIndex(g).setGpuType(e.spec().gpus().get(g).id())
                    .setMemoryBytes(e.memoryBytes(g)).setMemoryUsedBytes(e.memoryUsedBytes(g))
                    .setUtilisation(utilisation[g]).build());
        }
        List<DeploymentState> deployments = new ArrayList<>();
        for (DeploymentView d : e.deployments()) {
            deployments.add(DeploymentState.newBuilder().setModelId(d.modelId()).setGpuIndex(d.gpuIndex())
                    .setStatus(DeploymentStatus.valueOf(d.status().name()))
                    .setReadyAt(d.status() == dev.edgeweave.core.server.DeploymentStatus.LOADING
                            ? T0.plusMillis(Math.round(d.readyAt() * 1000)) : null)
                    .setConcurrency(d.concurrency()).setQueued(d.queued()).setRunning(d.running())
                    .setMeanServiceSeconds(d.meanServiceSeconds()).setMemoryBytes(d.memoryBytes())
                    .setShareWeight(d.shareWeight()).build());
        }
        return NodeState.newBuilder().setNodeId(e.spec().id()).setSiteId(e.spec().siteId()).setHeartbeatAt(heartbeatAt)
                .setSequence(sequence).setStorageBytesPerSecond(e.spec().storageBytesPerSecond()).setGpus(gpus)
                .setDeployments(deployments).setDraining(false).build();
    }

    @Test
    void theReportCarriesTheLoadingEtaExactly() {
        // 9 s to ready at 100 s of city time: 109,000 ms after T0 in the record, 9.0 s for both views.
        Fixture f = new Fixture();
        Decision d = f.testbed(0, TABLE.get(6));
        assertTrue(d.inputs().stream().anyMatch(c -> c.readiness().equals(DeploymentReadiness.loading(9.0))),
                String.format(Locale.ROOT, "%s", d.inputs()));
    }
}
