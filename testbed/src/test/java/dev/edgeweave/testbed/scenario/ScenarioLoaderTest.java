package dev.edgeweave.testbed.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.city.AccessPoint;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.city.GeoPoint;
import dev.edgeweave.core.city.Link;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.city.RadioTech;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    private static final ScenarioLoader LOADER = new ScenarioLoader();

    @TempDir
    Path dir;

    @Test
    void bristol7IsASevenServerHeterogeneousCityInBristol() {
        Scenario s = LOADER.loadBuiltIn("bristol-7");

        assertEquals("bristol-7", s.name());
        assertEquals("scenarios/bristol-7.yaml", s.source());
        List<AccessPoint> aps = s.city().accessPoints();
        assertTrue(aps.size() >= 12, "at least 12 access points");
        assertEquals(EnumSet.allOf(RadioTech.class), aps.stream().map(AccessPoint::radio)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RadioTech.class))));
        GeoPoint centre = new GeoPoint(51.45, -2.59);
        for (AccessPoint ap : aps) {
            assertTrue(ap.location().distanceKm(centre) < 7, ap.id() + " lies within ~10 km of Bristol's centre");
        }

        List<EdgeServer> servers = s.city().servers();
        assertEquals(List.of("edge-1", "edge-2", "edge-3", "edge-4", "edge-5", "edge-6", "edge-7"),
                servers.stream().map(EdgeServer::id).toList());
        assertEquals(7, servers.stream().map(EdgeServer::siteId).distinct().count(), "distinct sites");
        Set<String> gpuTypes = servers.stream().flatMap(sv -> sv.gpus().stream()).map(GpuType::id)
                .collect(Collectors.toSet());
        assertTrue(gpuTypes.size() >= 3, "at least three GPU types: " + gpuTypes);
        for (String id : gpuTypes) {
            assertTrue(GpuCatalog.standard().find(id).isPresent(), id + " is a standard GPU");
        }

        assertEquals(ModelCatalog.standard().models().stream().map(ModelSpec::id).collect(Collectors.toSet()),
                s.models().models().stream().map(ModelSpec::id).collect(Collectors.toSet()), "all eight catalog models");
        assertEquals(EnumSet.allOf(ModelClass.class), s.workload().classes().keySet());
        assertEquals(EnumSet.allOf(ModelClass.class), s.sloSeconds().keySet());
        assertTrue(s.horizon().seconds() >= 1800, "at least 30 min of city time");
        assertEquals(0.7, s.loadReference().capacityFraction());
        assertEquals(ChatSource.Mode.REPLAY, s.workload().chat().mode());
        assertEquals(ChatSource.DEFAULT_TRACE, s.workload().chat().traceAsWritten());
        assertTrue(Files.isRegularFile(s.workload().chat().trace()), "the trace resolves against the repository root: "
                + s.workload().chat().trace());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), s.seeds());
        assertEquals(2, s.workload().bursts().size());
        assertTrue(s.workload().shift().at().isEmpty(), "no shift unless asked for");
        assertTrue(s.measuredLinks().isEmpty());
        assertTrue(s.variants().isEmpty());
    }

    @Test
    void city100Has100ServersAnd20ModelsOfWhichVariantsMapToCatalogBases() {
        Scenario s = LOADER.loadBuiltIn("city-100");

        assertEquals(100, s.city().servers().size());
        assertTrue(s.city().accessPoints().size() >= 100);
        assertEquals(20, s.models().models().size());
        assertEquals(1_000_000L, s.horizon().prompts());
        assertEquals(ChatSource.Mode.RESAMPLE, s.workload().chat().mode());
        assertEquals(12, s.variants().size());
        ModelCatalog catalog = ModelCatalog.standard();
        for (ModelVariant v : s.variants()) {
            ModelSpec variant = s.models().require(v.id());
            ModelSpec base = catalog.require(v.baseId());
            assertTrue(catalog.find(v.id()).isEmpty(), "a variant has its own id");
            assertEquals(v.baseId(), s.baseModelId(v.id()));
            assertEquals(base.modelClass(), variant.modelClass());
            assertEquals(base.law(), variant.law(), "same latency law");
            assertEquals(base.memoryBytes(), variant.memoryBytes());
            assertEquals(base.limits(), variant.limits());
            assertTrue(variant.sources().get(variant.sources().size() - 1).startsWith("scenario variant of " + base.id()));
        }
        assertEquals("sdxl", s.baseModelId("sdxl"), "a catalog model is its own base");
        assertEquals(EnumSet.allOf(ModelClass.class), s.workload().classes().keySet());
    }

    @Test
    void modelArrivalSharesAreClassShareTimesModelShareAndSumToOne() {
        for (String name : ScenarioLoader.BUILT_IN) {
            Scenario s = LOADER.loadBuiltIn(name);
            Map<String, Double> shares = s.modelArrivalShares();
            assertEquals(s.models().models().size(), shares.size());
            assertEquals(1.0, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9, name);
        }
        Scenario b = LOADER.loadBuiltIn("bristol-7");
        assertEquals(0.40 * 0.6, b.modelArrivalShares().get("llama-3.1-8b-instruct"), 1e-12);
    }

    @Test
    void sizesMergeClassDefaultsWithModelOverrides() {
        Scenario s = LOADER.loadBuiltIn("bristol-7");
        ClassMix images = s.workload().classes().get(ModelClass.IMAGE_GENERATION);
        SizeSpec turbo = images.models().get(0).sizes();
        assertEquals("sdxl-turbo", images.models().get(0).modelId());
        assertEquals(new Distribution.Constant(4), turbo.get(SizeField.STEPS));
        assertEquals(new Distribution.Constant(512 * 512), turbo.get(SizeField.OUTPUT_PIXELS), "512x512 is pixels");
        assertEquals(new Distribution.Uniform(8, 77), turbo.get(SizeField.INPUT_TOKENS), "the class default");
        SizeSpec tts = s.workload().classes().get(ModelClass.SPEECH_SYNTHESIS).models().get(0).sizes();
        assertEquals(new Distribution.FromTrace(Distribution.TraceColumn.GENERATED_TOKENS, 0, 2000),
                tts.get(SizeField.INPUT_TOKENS));
    }

    @Test
    void measuredLinksOverrideTheDistanceDefault() {
        Scenario s = new ScenarioLoader(dir).parse(TestScenarios.MINIMAL, "mini.yaml");
        NetworkPath measured = NetworkPath.measured(0.009, 40e6, 200e6);
        assertEquals(Map.of(new Link("ap-1", "edge-1"), measured), s.measuredLinks());
        assertEquals(measured, s.city().path("ap-1", "edge-1"));
        assertFalse(s.city().path("ap-2", "edge-1").measured(), "other links keep their default");
    }

    @Test
    void variantsScenarioGpuTypesAndDefaultsAreRead() {
        String yaml = TestScenarios.replace(TestScenarios.MINIMAL, "models:",
                "gpuTypes:\n  - {id: edge-npu, memoryGB: 32, fp16Tflops: 50, bandwidthGBps: 200, source: vendor sheet}\nmodels:");
        yaml = TestScenarios.replace(yaml, "gpus: [l4]", "gpus: [l4, edge-npu]");
        Scenario s = new ScenarioLoader(dir).parse(yaml, "mini.yaml");

        assertEquals(32_000_000_000L, s.gpus().require("edge-npu").memoryBytes());
        assertEquals(GpuCatalog.REFERENCE_GPU_ID, s.gpus().referenceGpu().id());
        assertEquals(2, s.city().requireServer("edge-1").gpus().size());
        assertEquals(List.of(new ModelVariant("chat-ft-01", "llama-3.2-3b-instruct", "a tenant")), s.variants());
        assertEquals(Payload.DEFAULT, s.workload().payload(), "payload defaults in code");
        assertEquals(List.of(1L), s.seeds(), "seed 1 by default");
        assertEquals(0.8, s.workload().shift().share(ModelClass.SPEECH_RECOGNITION));
        assertEquals(Set.of(ModelClass.SPEECH_RECOGNITION), s.workload().bursts().get(0).classes());
    }

    @Test
    void withoutClassSharesTheShiftRotatesTheMix() {
        String yaml = TestScenarios.replace(TestScenarios.MINIMAL, "    classShares: {CHAT: 0.2, SPEECH_RECOGNITION: 0.8}\n", "");
        Scenario s = new ScenarioLoader(dir).parse(yaml, "mini.yaml");
        assertEquals(0.4, s.workload().shift().share(ModelClass.CHAT), "CHAT takes the share of the class before it (cyclic)");
        assertEquals(0.6, s.workload().shift().share(ModelClass.SPEECH_RECOGNITION));
    }

    @Test
    void loadTakesABuiltInNameOrAPath() {
        Path file = TestScenarios.write(dir, "mine", TestScenarios.MINIMAL.replace("name: mini", "name: mine"));
        assertEquals("mine", LOADER.load(file.toString()).name());
        assertEquals("bristol-7", LOADER.load("bristol-7").name());
        ScenarioException e = assertThrows(ScenarioException.class, () -> LOADER.loadBuiltIn("atlantis"));
        assertTrue(e.getMessage().contains("built-in scenarios: [bristol-7, city-100]"), e.getMessage());
    }

    @Test
    void relativeTracePathsResolveAgainstTheBaseDirectory() {
        String yaml = TestScenarios.replace(TestScenarios.MINIMAL, "mode: resample", "mode: resample\n    trace: traces/t.csv");
        Scenario s = new ScenarioLoader(dir).parse(yaml, "mini.yaml");
        assertEquals(dir.resolve("traces/t.csv").toAbsolutePath().normalize(), s.workload().chat().trace());
        assertEquals("traces/t.csv", s.workload().chat().traceAsWritten());
    }

    @Test
    void theRepositoryRootIsFoundFromAModuleDirectory() {
        Path root = ScenarioLoader.findRepositoryRoot(Path.of("").toAbsolutePath());
        assertTrue(Files.isDirectory(root.resolve("testbed")) && Files.isDirectory(root.resolve("core")), root.toString());
    }
}
