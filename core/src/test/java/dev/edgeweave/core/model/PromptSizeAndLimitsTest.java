package dev.edgeweave.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PromptSize} validation and {@link ModelLimits#violations}: every error names its field. */
class PromptSizeAndLimitsTest {

    static Stream<Arguments> negativeSizes() {
        return Stream.of(
                Arguments.of("inputTokens", (Supplier<PromptSize>) () -> new PromptSize(-1, 0, 0, 0, 0, 0, 0, 0)),
                Arguments.of("images", (Supplier<PromptSize>) () -> new PromptSize(0, -1, 0, 0, 0, 0, 0, 0)),
                Arguments.of("imagePixels", (Supplier<PromptSize>) () -> new PromptSize(0, 0, -1, 0, 0, 0, 0, 0)),
                Arguments.of("audioSeconds", (Supplier<PromptSize>) () -> new PromptSize(0, 0, 0, -0.5, 0, 0, 0, 0)),
                Arguments.of("audioSeconds",
                        (Supplier<PromptSize>) () -> new PromptSize(0, 0, 0, Double.NaN, 0, 0, 0, 0)),
                Arguments.of("outputTokens", (Supplier<PromptSize>) () -> new PromptSize(0, 0, 0, 0, -1, 0, 0, 0)),
                Arguments.of("steps", (Supplier<PromptSize>) () -> new PromptSize(0, 0, 0, 0, 0, -1, 0, 0)),
                Arguments.of("outputPixels", (Supplier<PromptSize>) () -> new PromptSize(0, 0, 0, 0, 0, 0, -1, 0)),
                Arguments.of("inputBytes", (Supplier<PromptSize>) () -> new PromptSize(0, 0, 0, 0, 0, 0, 0, -1)));
    }

    @ParameterizedTest(name = "a negative {0} is refused, naming the field")
    @MethodSource("negativeSizes")
    void negativeSizeErrorsNameTheField(String field, Supplier<PromptSize> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
    }

    static final ModelLimits LIMITS = new ModelLimits(100, 1, 1000, 60, 50, 30, 4096);

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of(new PromptSize(100, 1, 1000, 60, 50, 30, 4096, 9), List.of()),
                Arguments.of(new PromptSize(101, 0, 0, 0, 0, 0, 0, 0), List.of("inputTokens")),
                Arguments.of(new PromptSize(0, 2, 1001, 0, 0, 0, 0, 0), List.of("images", "imagePixels")),
                // pixels of an image that is not there are not checked
                Arguments.of(new PromptSize(0, 0, 5000, 0, 0, 0, 0, 0), List.of()),
                Arguments.of(new PromptSize(0, 0, 0, 60.5, 51, 31, 4097, 0),
                        List.of("audioSeconds", "outputTokens", "steps", "outputPixels")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("violations")
    void violationsNameEachFieldOverItsLimitInOrder(PromptSize size, List<String> fields) {
        assertEquals(fields, LIMITS.violations(size).stream().map(ModelLimits.Violation::field).toList());
    }

    @Test
    void aViolationReadsAsFieldValueAndLimit() {
        ModelLimits.Violation v = LIMITS.violations(new PromptSize(0, 0, 0, 60.5, 0, 0, 0, 0)).get(0);
        assertEquals("audioSeconds 60.5 exceeds the model's limit 60", v.toString());
    }

    @Test
    void aTextPromptSendsFourBytesPerToken() {
        PromptSize p = PromptSize.text(250, 40);
        assertEquals(1000, p.inputBytes());
        assertEquals(40, p.outputTokens());
    }
}
