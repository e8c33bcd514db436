package dev.edgeweave.core.latency;

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
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.BatchScaling;
import dev.edgeweave.core.model.DiffusionParams;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelLimits;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.TokenParams;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The end-to-end prediction, term by term, against values computed by hand. The GPU and models are
 * synthetic with round numbers so every expected value can be checked on paper:
 *
 * <pre>
 * GPU: 100 TFLOPS, 1000 GB/s.
 * CHAT: 10 B params, 5 GB weights, no KV, η 0.5 both, engine start 20 s.
 *   weight sweep = 5e9 / (0.5 · 1e12)        = 0.010 s
 *   prefill/token = 2 · 10e9 / (0.5 · 1e14)  = 0.0004 s
 *   100 in, 11 out: prefill 0.010 + 100 · 0.0004 = 0.050 s; decode 10 · 0.010 = 0.100 s → inference 0.150 s
 *   input 400 B, output 11 · 4 = 44 B
 * IMAGE: 2.5 TFLOP/step, 5 TFLOP fixed at 1 Mpx, η 0.5: 20 steps at 1 Mpx = (50 + 5) / 50 = 1.100 s
 *   input 200 B, output 1e6 px · 1.5 B = 1.5 MB
 * Path: RTT 20 ms, uplink 1 Mbit/s, downlink 8 Mbit/s.
 * </pre>
 */
class LatencyModelTest {

    static final double EPS = 1e-9;

    static final GpuType GPU = new GpuType("test-gpu", "Test GPU", 80_000_000_000L, 100.0, 1000.0, "synthetic");

    static final ModelSpec CHAT = new ModelSpec("test-chat", "Test chat", ModelClass.CHAT,
            5_000_000_000L, 8_000_000_000L, 20.0,
            new ModelLimits(8192, 0, 0, 0, 2048, 0, 0),
            new TokenParams(10e9, 0, 0.5, 0.5, 100, BatchScaling.NONE),
            List.of("synthetic"));

    static final ModelSpec IMAGE = new ModelSpec("test-image", "Test image", ModelClass.IMAGE_GENERATION,
            6_000_000_000L, 10_000_000_000L, 15.0,
            new ModelLimits(77, 0, 0, 0, 0, 50, 1_000_000),
            new DiffusionParams(2.5e12, 5e12, 1_000_000, 10, 0.5, BatchScaling.NONE),
            List.of("synthetic"));

    static final PromptSize CHAT_PROMPT = PromptSize.text(100, 11);                                  // 400 B in
    static final PromptSize IMAGE_PROMPT = new PromptSize(50, 0, 0, 0, 0, 20, 1_000_000, 200);

    static final NetworkPath PATH = new NetworkPath(0.020, 1e6, 8e6, false);
    static final double STORAGE = 1e9;

    static Candidate candidate(NetworkPath path, DeploymentReadiness readiness, int queueAhead,
                               double meanServiceSeconds, int concurrency) {
        return new Candidate("s1", GPU, path, readiness, queueAhead, meanServiceSeconds, concurrency, STORAGE);
    }

    // A city for the default-vs-measured rows: an access point 0.1° of latitude south of the server's site.
    // distance = 6371.0088 km · 0.1° · π/180 = 11.1195080 km
    // default RTT = 0.0115 (NR_SA) + 11.1195080 · 1.4 · 9.8e-6 + 4 · 1e-4 = 0.0115 + 0.000152560 + 0.0004
    //             = 0.012052560 s; uplink 21.1 Mbit/s, downlink 166.1 Mbit/s
    static final City CITY = new City(
            List.of(new AccessPoint("ap1", new GeoPoint(50.0, 14.4), RadioTech.NR_SA)),
            List.of(new EdgeSite("site1", new GeoPoint(50.1, 14.4))),
            List.of(new EdgeServer("s1", "site1", List.of(GPU))));
    static final NetworkPath MEASURED = NetworkPath.measured(0.005, 20e6, 100e6);

    static Stream<Arguments> cases() {
        double up = 400 * 8 / 1e6;     // 0.0032 s
        double down = 44 * 8 / 8e6;    // 0.000044 s
        return Stream.of(
                Arguments.of("chat, READY, empty queue", CHAT, CHAT_PROMPT,
                        candidate(PATH, DeploymentReadiness.READY, 0, 0.0, 1),
                        up, 0.020, 0.0, 0.0, 0.150, down),
                Arguments.of("chat, READY, 6 waiting, 2 s service, 4 slots: 6 · 2 / 4 = 3 s", CHAT, CHAT_PROMPT,
                        candidate(PATH, DeploymentReadiness.READY, 6, 2.0, 4),
                        up, 0.020, 3.0, 0.0, 0.150, down),
                Arguments.of("chat, LOADING with 12.5 s left, 2 waiting, 1.5 s, 1 slot", CHAT, CHAT_PROMPT,
                        candidate(PATH, DeploymentReadiness.loading(12.5), 2, 1.5, 1),
                        up, 0.020, 3.0, 12.5, 0.150, down),
                Arguments.of("chat, COLD: 5 GB / 1 GB/s + 20 s engine start = 25 s", CHAT, CHAT_PROMPT,
                        candidate(PATH, DeploymentReadiness.COLD, 0, 0.0, 1),
                        up, 0.020, 0.0, 25.0, 0.150, down),
                Arguments.of("image, READY: 200 B up, 1.5 MB down = 1.5 s at 8 Mbit/s", IMAGE, IMAGE_PROMPT,
                        candidate(PATH, DeploymentReadiness.READY, 0, 0.0, 1),
                        200 * 8 / 1e6, 0.020, 0.0, 0.0, 1.100, 1.5e6 * 8 / 8e6),
                Arguments.of("image, COLD: 6 GB / 1 GB/s + 15 s = 21 s", IMAGE, IMAGE_PROMPT,
                        candidate(PATH, DeploymentReadiness.COLD, 0, 0.0, 1),
                        200 * 8 / 1e6, 0.020, 0.0, 21.0, 1.100, 1.5e6 * 8 / 8e6),
                Arguments.of("chat over the city's default path (NR_SA radio + 11.12 km fibre)", CHAT, CHAT_PROMPT,
                        candidate(CITY.path("ap1", "s1"), DeploymentReadiness.READY, 0, 0.0, 1),
                        3200 / 21.1e6, 0.012052560, 0.0, 0.0, 0.150, 352 / 166.1e6),
                Arguments.of("chat over a measured link overriding the default: 5 ms, 20 / 100 Mbit/s", CHAT,
                        CHAT_PROMPT,
                        candidate(CITY.withMeasured("ap1", "s1", MEASURED).path("ap1", "s1"),
                                DeploymentReadiness.READY, 0, 0.0, 1),
                        3200 / 20e6, 0.005, 0.0, 0.0, 0.150, 352 / 100e6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictsEveryTermAndTheTotal(String name, ModelSpec model, PromptSize size, Candidate candidate,
                                      double uplink, double rtt, double queue, double loadWait,
                                      double inference, double downlink) {
        LatencyBreakdown b = LatencyModel.predict(model, size, candidate);

        assertEquals(uplink, b.uplinkS(), EPS, "uplink");
        assertEquals(rtt, b.rttS(), 1e-8, "rtt");
        assertEquals(queue, b.queueS(), EPS, "queue");
        assertEquals(loadWait, b.loadWaitS(), EPS, "load wait");
        assertEquals(inference, b.inferenceS(), EPS, "inference");
        assertEquals(downlink, b.downlinkS(), EPS, "downlink");
        double total = uplink + rtt + queue + loadWait + inference + downlink;
        assertEquals(total, b.totalS(), 1e-8, "total");
        assertEquals(b.totalS(), LatencyModel.totalSeconds(model, size, candidate), 1e-12,
                "totalSeconds agrees with predict");
    }

    @Test
    void measuredLinkChangesThePredictionAndDefaultStaysAvailable() {
        City measured = CITY.withMeasured("ap1", "s1", MEASURED);
        double viaDefault = LatencyModel.totalSeconds(CHAT, CHAT_PROMPT,
                candidate(measured.defaultPath("ap1", "s1"), DeploymentReadiness.READY, 0, 0, 1));
        double viaMeasured = LatencyModel.totalSeconds(CHAT, CHAT_PROMPT,
                candidate(measured.path("ap1", "s1"), DeploymentReadiness.READY, 0, 0, 1));
        // default: 0.0001517 + 0.0120526 + 0.150 + 0.0000021; measured: 0.00016 + 0.005 + 0.150 + 0.0000035
        assertEquals(0.16220634, viaDefault, 1e-7);
        assertEquals(0.15516352, viaMeasured, 1e-7);
    }

    @Test
    void coldIsSlowerThanLoadingWhichIsSlowerThanReady() {
        double ready = LatencyModel.totalSeconds(CHAT, CHAT_PROMPT, candidate(PATH, DeploymentReadiness.READY, 0, 0, 1));
        double loading = LatencyModel.totalSeconds(CHAT, CHAT_PROMPT,
                candidate(PATH, DeploymentReadiness.loading(5), 0, 0, 1));
        double cold = LatencyModel.totalSeconds(CHAT, CHAT_PROMPT, candidate(PATH, DeploymentReadiness.COLD, 0, 0, 1));
        assertTrue(ready < loading && loading < cold, ready + " < " + loading + " < " + cold);
    }

    @Test
    void readinessRejectsAnEtaOutsideLoading() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeploymentReadiness(DeploymentReadiness.Kind.READY, 3.0));
        assertTrue(e.getMessage().contains("READY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeploymentReadiness.loading(-1));
    }

    @Test
    void candidateRejectsZeroConcurrencyNamingTheServer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Candidate("edge-7", GPU, PATH, DeploymentReadiness.READY, 0, 1.0, 0, STORAGE));
        assertTrue(e.getMessage().contains("edge-7") && e.getMessage().contains("concurrency"), e.getMessage());
    }
}
