package dev.edgeweave.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EdgeweaveRouterTest {

    private static final GpuCatalog GPUS = GpuCatalog.standard();
    private static final GpuType A100 = GPUS.require("a100-40gb");
    private static final GpuType ORIN = GPUS.require("jetson-agx-orin-64gb");
    private static final ModelSpec CHAT = ModelCatalog.standard().require("llama-3.1-8b-instruct");
    private static final PromptSize SIZE = PromptSize.text(500, 200);
    private static final double A100_S = LatencyLaws.inferenceSeconds(CHAT, A100, SIZE);

    private static RouteRequest request() {
        return new RouteRequest("p", CHAT, SIZE, "u", "ap", 30, A100_S);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("idle: the faster GPU", neutral(), 0, (Consumer<TestCandidates>) c -> {
                    c.add(A100);
                    c.add(ORIN);
                }),
                Arguments.of("a deep queue at the fast GPU sends it to the idle slow one", neutral(), 1,
                        (Consumer<TestCandidates>) c -> {
                            c.add(A100).concurrency(8).running(8).queued(200).meanService(A100_S * 3);
                            c.add(ORIN);
                        }),
                Arguments.of("a short queue at the fast GPU is still better than the slow one", neutral(), 0,
                        (Consumer<TestCandidates>) c -> {
                            c.add(A100).concurrency(8).running(8).queued(1).meanService(A100_S);
                            c.add(ORIN);
                        }),
                Arguments.of("a cold start loses to a ready holder", neutral(), 1, (Consumer<TestCandidates>) c -> {
                    c.add(A100).readiness(DeploymentReadiness.COLD);
                    c.add(ORIN);
                }),
                Arguments.of("a cold start loses even to a deep queue", neutral(), 1, (Consumer<TestCandidates>) c -> {
                    c.add(A100).readiness(DeploymentReadiness.COLD);
                    c.add(ORIN).concurrency(1).running(1).queued(100).meanService(30);
                }),
                Arguments.of("a cold start is taken when no server holds the model", neutral(), 1,
                        (Consumer<TestCandidates>) c -> {
                            c.add(ORIN).readiness(DeploymentReadiness.COLD);
                            c.add(A100).readiness(DeploymentReadiness.COLD);
                        }),
                Arguments.of("a cold start is taken when every holder is excluded",
                        new RoutingWeights(Map.of(), Set.of("s0"), Map.of()), 1, (Consumer<TestCandidates>) c -> {
                            c.add(A100);
                            c.add(ORIN).readiness(DeploymentReadiness.COLD);
                        }),
                Arguments.of("a deployment sharing its GPU with three busy models loses to an idle slower GPU",
                        neutral(), 1, (Consumer<TestCandidates>) c -> {
                            c.add(A100).gpuShare(0.25);
                            c.add(GPUS.require("rtx-4090"));
                        }),
                Arguments.of("a model almost loaded on the fast GPU beats the slow one", neutral(), 0,
                        (Consumer<TestCandidates>) c -> {
                            c.add(A100).readiness(DeploymentReadiness.loading(0.1));
                            c.add(ORIN);
                        }),
                Arguments.of("a slow far link tips the balance", neutral(), 1, (Consumer<TestCandidates>) c -> {
                    c.add(A100).path(NetworkPath.measured(10.0, 1e6, 1e6));
                    c.add(A100);
                }),
                Arguments.of("an excluded server is skipped", new RoutingWeights(Map.of(), Set.of("s0"), Map.of()), 1,
                        (Consumer<TestCandidates>) c -> {
                            c.add(A100);
                            c.add(ORIN);
                        }),
                Arguments.of("a server at its cap is skipped", new RoutingWeights(Map.of(), Set.of(), Map.of("s0", 2)), 1,
                        (Consumer<TestCandidates>) c -> {
                            c.add(A100).running(1).queued(2).meanService(A100_S);
                            c.add(ORIN);
                        }),
                Arguments.of("ties go to the lower server index", neutral(), 0, (Consumer<TestCandidates>) c -> {
                    c.add(A100);
                    c.add(A100);
                }),
                Arguments.of("no candidate: -1", neutral(), -1, (Consumer<TestCandidates>) c -> {
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesTheLowestWeightedPrediction(String name, RoutingWeights weights, int expected,
                                            Consumer<TestCandidates> setup) {
        TestCandidates c = new TestCandidates();
        setup.accept(c);
        assertEquals(expected, new EdgeweaveRouter(() -> weights).choose(request(), c));
    }

    @ParameterizedTest(name = "weight {0} → server {1}")
    @MethodSource("weightCases")
    void aClassWeightPricesQueueing(double weight, int expected) {
        // The fast GPU has a queue worth a few seconds; the slow GPU is idle but slower by less than that
        // for a neutral weight: a favoured class waits, a disfavoured one moves.
        TestCandidates c = new TestCandidates();
        double orinS = LatencyLaws.inferenceSeconds(CHAT, ORIN, SIZE);
        int queued = (int) Math.ceil((orinS - A100_S) / A100_S) + 1; // strictly more than the difference
        c.add(A100).concurrency(1).running(1).queued(queued).meanService(A100_S);
        c.add(ORIN);
        RoutingWeights w = new RoutingWeights(Map.of(ModelClass.CHAT, weight), Set.of(), Map.of());
        assertEquals(expected, new EdgeweaveRouter(() -> w).choose(request(), c));
    }

    static Stream<Arguments> weightCases() {
        return Stream.of(Arguments.of(0.5, 0), Arguments.of(1.0, 1), Arguments.of(4.0, 1));
    }

    private static RoutingWeights neutral() {
        return RoutingWeights.NEUTRAL;
    }
}
