package dev.edgeweave.core.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FairnessTest {

    static Stream<Arguments> indices() {
        return Stream.of(
                // x, J = (Σx)²/(n·Σx²), N = (J − 1/n)/(1 − 1/n)
                Arguments.of(new double[] {1, 1, 1}, 1.0, 1.0),
                Arguments.of(new double[] {1, 0, 0}, 1.0 / 3, 0.0),          // 1 / (3·1)
                Arguments.of(new double[] {1, 2}, 0.9, 0.8),                 // 9 / (2·5); 0.4 / 0.5
                Arguments.of(new double[] {7.5}, 1.0, 1.0),                  // n = 1
                Arguments.of(new double[] {0, 0, 0}, 1.0, 1.0),              // all equal, all zero
                Arguments.of(new double[] {1, 1, 0, 0}, 0.5, 1.0 / 3),       // 4 / (4·2); 0.25 / 0.75
                Arguments.of(new double[] {1, 2, 3}, 36.0 / 42, 11.0 / 14),  // 36 / (3·14); (6/7 − 1/3)/(2/3)
                Arguments.of(new double[] {2, 2, 2, 2, 10}, 324.0 / 580, (324.0 / 580 - 0.2) / 0.8));
    }

    @ParameterizedTest(name = "x = {0}: J = {1}, N = {2}")
    @MethodSource("indices")
    void jainAndNormalizedJain(double[] x, double jain, double normalized) {
        assertEquals(jain, Fairness.jain(x), 1e-12);
        assertEquals(normalized, Fairness.normalizedJain(x), 1e-12);
    }

    @Test
    void scaleDoesNotChangeFairness() {
        assertEquals(Fairness.normalizedJain(new double[] {1, 2, 3}),
                Fairness.normalizedJain(new double[] {10, 20, 30}), 1e-12);
    }

    @Test
    void emptyInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fairness.jain(new double[0]));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fairness.normalizedJain(null));
    }

    @ParameterizedTest(name = "x[1] = {0} is refused")
    @CsvSource({"-1", "NaN", "Infinity"})
    void badValuesAreRefusedNamingTheIndex(double bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fairness.normalizedJain(new double[] {1, bad, 2}));
        assertTrue(e.getMessage().contains("x[1]"), e.getMessage());
    }

    @ParameterizedTest(name = "slowdown({0}, {1}) = {2}")
    @CsvSource({"3.0, 1.5, 2.0", "0.5, 2.0, 0.25", "12.6, 12.6, 1.0"})
    void slowdownIsLatencyOverReferenceInference(double latency, double reference, double expected) {
        assertEquals(expected, Fairness.slowdown(latency, reference), 1e-12);
    }

    @ParameterizedTest(name = "slowdown({0}, {1}) is refused")
    @CsvSource({"0, 1", "1, 0", "-1, 1", "NaN, 1", "1, Infinity"})
    void slowdownNeedsPositiveFiniteTimes(double latency, double reference) {
        assertThrows(IllegalArgumentException.class, () -> Fairness.slowdown(latency, reference));
    }
}
