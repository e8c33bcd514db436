package dev.edgeweave.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelCatalogTest {

    static final ModelCatalog CATALOG = ModelCatalog.standard();

    static Stream<ModelSpec> models() {
        return CATALOG.models().stream();
    }

    @Test
    void holdsAtLeastSixModelsOverAllFiveClasses() {
        assertTrue(CATALOG.models().size() >= 6, "only " + CATALOG.models().size() + " models");
        assertEquals(EnumSet.allOf(ModelClass.class), EnumSet.copyOf(CATALOG.classes()));
        for (ModelClass c : ModelClass.values()) {
            assertFalse(CATALOG.byClass(c).isEmpty(), "no model of class " + c);
            CATALOG.byClass(c).forEach(m -> assertEquals(c, m.modelClass(), m.id()));
        }
    }

    @ParameterizedTest(name = "{0} fits in the reference GPU")
    @MethodSource("models")
    void everyModelFitsInTheReferenceGpusMemory(ModelSpec model) {
        GpuType reference = GpuCatalog.standard().referenceGpu();
        assertTrue(model.memoryBytes() <= reference.memoryBytes(),
                model.id() + " needs " + model.memoryBytes() + " B, " + reference.id() + " has "
                        + reference.memoryBytes());
    }

    @ParameterizedTest(name = "{0} cites every figure")
    @MethodSource("models")
    void everyModelCitesItsFigures(ModelSpec model) {
        assertFalse(model.sources().isEmpty(), model.id());
        for (String source : model.sources()) {
            assertTrue(source.contains("catalog-facts §") || source.contains("[D]") || source.contains("[E]")
                            || source.contains("LatencyLawCalibrationTest"),
                    model.id() + ": source without citation or [D]/[E] marker: " + source);
        }
    }

    @Test
    void requireNamesTheUnknownModelAndListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CATALOG.require("gpt-5"));
        assertTrue(e.getMessage().contains("'gpt-5'"), e.getMessage());
        assertTrue(e.getMessage().contains("llama-3.1-8b-instruct") && e.getMessage().contains("kokoro-82m"),
                e.getMessage());
        assertTrue(CATALOG.find("gpt-5").isEmpty());
        assertEquals("sdxl", CATALOG.find("sdxl").orElseThrow().id());
    }

    @Test
    void aCatalogRejectsDuplicateIds() {
        ModelSpec sdxl = CATALOG.require("sdxl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelCatalog(List.of(sdxl, sdxl)));
        assertTrue(e.getMessage().contains("'sdxl'"), e.getMessage());
    }

    @Test
    void aModelSpecRejectsALawOfAnotherClass() {
        ModelSpec chat = CATALOG.require("llama-3.1-8b-instruct");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec("x", "X", ModelClass.IMAGE_GENERATION, 1, 1, 0, chat.limits(), chat.law(),
                        List.of()));
        assertTrue(e.getMessage().contains("TokenParams") && e.getMessage().contains("IMAGE_GENERATION"),
                e.getMessage());
    }

    @Test
    void aModelSpecRejectsLessMemoryThanWeights() {
        ModelSpec chat = CATALOG.require("llama-3.1-8b-instruct");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec("x", "X", ModelClass.CHAT, 10, 9, 0, chat.limits(), chat.law(), List.of()));
        assertTrue(e.getMessage().contains("memoryBytes"), e.getMessage());
    }

    static Stream<Arguments> limitCases() {
        return Stream.of(
                Arguments.of("llama-3.1-8b-instruct", PromptSize.text(8192, 2048), List.of()),
                Arguments.of("llama-3.1-8b-instruct", PromptSize.text(8193, 10), List.of("inputTokens")),
                Arguments.of("llama-3.1-8b-instruct", new PromptSize(10, 1, 100, 0, 10, 0, 0, 40),
                        List.of("images", "imagePixels")),
                Arguments.of("qwen2.5-vl-7b", new PromptSize(100, 1, 1344L * 1344, 0, 100, 0, 0, 1),
                        List.of()),
                Arguments.of("qwen2.5-vl-7b", new PromptSize(100, 2, 1345L * 1344, 0, 100, 0, 0, 1),
                        List.of("images", "imagePixels")),
                Arguments.of("sdxl", new PromptSize(77, 0, 0, 0, 0, 50, 1024L * 1024, 1), List.of()),
                Arguments.of("sdxl", new PromptSize(77, 0, 0, 0, 0, 51, 2048L * 2048, 1),
                        List.of("steps", "outputPixels")),
                Arguments.of("sdxl-turbo", new PromptSize(20, 0, 0, 0, 0, 5, 512L * 512, 1), List.of("steps")),
                Arguments.of("whisper-large-v3-turbo", new PromptSize(0, 0, 0, 1800, 0, 0, 0, 1), List.of()),
                Arguments.of("whisper-large-v3-turbo", new PromptSize(0, 0, 0, 1800.5, 0, 0, 0, 1),
                        List.of("audioSeconds")),
                Arguments.of("kokoro-82m", new PromptSize(2001, 0, 0, 0, 0, 0, 0, 1), List.of("inputTokens")));
    }

    @ParameterizedTest(name = "{0} {1} -> violations {2}")
    @MethodSource("limitCases")
    void limitsAreSensible(String modelId, PromptSize size, List<String> violatedFields) {
        List<String> fields = CATALOG.require(modelId).limits().violations(size).stream()
                .map(ModelLimits.Violation::field).toList();
        assertEquals(violatedFields, fields);
    }
}
