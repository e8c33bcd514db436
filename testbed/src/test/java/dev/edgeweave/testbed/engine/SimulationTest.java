package dev.edgeweave.testbed.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.AccessPoint;
import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.city.EdgeSite;
import dev.edgeweave.core.city.GeoPoint;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.city.RadioTech;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.latency.LatencyModel;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.ModelDemand;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final ModelCatalog FULL = ModelCatalog.standard();
    private static final ModelSpec CHAT = FULL.require("llama-3.1-8b-instruct");
    private static final ModelSpec TTS = FULL.require("kokoro-82m");
    private static final PromptSize CHAT_SIZE = PromptSize.text(400, 100);
    private static final PromptSize TTS_SIZE = PromptSize.text(40, 0);

    private static EngineSetup setup() {
        City city = new City(
                List.of(new AccessPoint("ap-1", new GeoPoint(51.45, -2.59), RadioTech.NR_SA)),
                List.of(new EdgeSite("site-1", new GeoPoint(51.46, -2.58)), new EdgeSite("site-2", new GeoPoint(51.44, -2.60))),
                List.of(new EdgeServer("edge-1", "site-1", List.of(GPUS.require("a100-40gb"))),
                        new EdgeServer("edge-2", "site-2", List.of(GPUS.require("l4")))));
        return new EngineSetup(city, new ModelCatalog(List.of(CHAT, TTS)),
                List.of(new ModelDemand(CHAT, 0.7, CHAT_SIZE), new ModelDemand(TTS, 0.3, TTS_SIZE)));
    }

    private static Arrivals workload(int n, double rate, long seed) {
        Random r = new Random(seed);
        double[] t = new double[n];
        int[] model = new int[n];
        PromptSize[] size = new PromptSize[n];
        double[] slo = new double[n];
        double now = 0;
        for (int i = 0; i < n; i++) {
            now += -Math.log(1 - r.nextDouble()) / rate;
            t[i] = now;
            model[i] = r.nextDouble() < 0.7 ? 0 : 1;
            size[i] = model[i] == 0 ? CHAT_SIZE : TTS_SIZE;
            slo[i] = model[i] == 0 ? 30 : 5;
        }
        return new ArrayArrivals(t, model, new int[n], new int[n], size, slo);
    }

    @Test
    void aLonePromptTakesExactlyItsPredictedLatency() {
        EngineSetup setup = setup();
        Arrivals one = new ArrayArrivals(new double[] {1.0}, new int[] {0}, new int[1], new int[1],
                new PromptSize[] {CHAT_SIZE}, new double[] {30});
        RunResult r = new Simulation(setup, one, Policies.parse("nearest/static").get(0), 1, List.of(), Double.NaN).run();
        int s = r.server()[0];
        assertTrue(s >= 0, "completed");
        NetworkPath path = setup.path(0, s);
        double expected = LatencyModel.uplinkSeconds(CHAT_SIZE, path) + path.rttSeconds()
                + LatencyLaws.inferenceSeconds(CHAT, setup.servers().get(s).gpus().get(0), CHAT_SIZE)
                + LatencyModel.downlinkSeconds(CHAT, CHAT_SIZE, path);
        assertEquals(expected, r.latency()[0], 1e-9);
        assertEquals(expected / LatencyLaws.referenceInferenceSeconds(CHAT, CHAT_SIZE), r.slowdown()[0], 1e-9);
    }

    @Test
    void everyPolicyEndsEveryPromptExactlyOnce() {
        EngineSetup setup = setup();
        Arrivals arrivals = workload(3000, 0.7 * setup.capacity(), 7);
        for (PolicySpec p : Policies.parse("all")) {
            RunResult r = new Simulation(setup, arrivals, p, 1, List.of(), Double.NaN).run();
            for (int i = 0; i < r.size(); i++) {
                assertEquals(1, r.terminalRecords()[i], p.name() + " prompt " + i);
            }
        }
    }

    @Test
    void aFailedServersPromptsAreReroutedAndNoneIsLost() {
        EngineSetup setup = setup();
        Arrivals arrivals = workload(3000, 0.5 * setup.capacity(), 3);
        double failAt = arrivals.time(1500);
        for (String name : List.of("edgeweave", "round-robin/static", "least-busy/ondemand")) {
            PolicySpec p = Policies.parse(name).get(0);
            RunResult r = new Simulation(setup, arrivals, p, 1, List.of(FailureEvent.parse("busiest@" + failAt)),
                    Double.NaN).run();
            int completed = 0;
            for (int i = 0; i < r.size(); i++) {
                assertEquals(1, r.terminalRecords()[i], name + " prompt " + i);
                completed += r.completed()[i] ? 1 : 0;
            }
            assertTrue(r.rerouted() > 0, name + " rerouted some prompts");
            assertTrue(completed > 0.9 * r.size(), name + " completed " + completed);
        }
    }

    @Test
    void admissionControlRejectsUnderOverloadAndBoundsTheLatencies() {
        EngineSetup setup = setup();
        // Far over capacity: queues grow without bound unless prompts are refused at admission.
        Arrivals arrivals = workload(3000, 200, 7);
        PolicySpec p = Policies.parse(Policies.EDGEWEAVE).get(0);
        RunResult queued = new Simulation(setup, arrivals, p, 1, List.of(), Double.NaN).run();
        RunResult admitted = new Simulation(setup, arrivals, p, 1, List.of(), Double.NaN).withAdmission(4).run();
        long rejectedQueued = countRejected(queued);
        long rejectedAdmitted = countRejected(admitted);
        assertTrue(rejectedAdmitted > rejectedQueued, rejectedAdmitted + " rejected with admission control, "
                + rejectedQueued + " without");
        double worstQueued = java.util.Arrays.stream(queued.latency()).max().orElseThrow();
        double worstAdmitted = java.util.Arrays.stream(admitted.latency()).max().orElseThrow();
        assertTrue(worstAdmitted < worstQueued, worstAdmitted + " s worst with admission control, " + worstQueued
                + " s without");
        for (byte t : admitted.terminalRecords()) {
            assertEquals(1, t);
        }
        assertThrows(IllegalArgumentException.class, () -> new Simulation(setup, arrivals, p, 1, List.of(),
                Double.NaN).withAdmission(0.5));
    }

    private static long countRejected(RunResult r) {
        long n = 0;
        for (boolean c : r.completed()) {
            if (!c) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        EngineSetup setup = setup();
        Arrivals arrivals = workload(2000, 0.8 * setup.capacity(), 5);
        for (String name : List.of("edgeweave", "power-of-two/static", "random/ondemand")) {
            PolicySpec p = Policies.parse(name).get(0);
            RunResult a = new Simulation(setup, arrivals, p, 4, List.of(), Double.NaN).run();
            RunResult b = new Simulation(setup, arrivals, p, 4, List.of(), Double.NaN).run();
            assertArrayEquals(a.latency(), b.latency(), name);
            assertArrayEquals(a.server(), b.server(), name);
        }
    }
}
