package dev.edgeweave.testbed.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureEventTest {

    private static final double FOREVER = Double.POSITIVE_INFINITY;

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("edge-3@900", new FailureEvent("edge-3", 900, FOREVER)),
                Arguments.of("busiest@900+300", new FailureEvent(FailureEvent.BUSIEST, 900, 300)),
                Arguments.of("edge-3@0", new FailureEvent("edge-3", 0, FOREVER)),
                Arguments.of("edge-3@12.5+0.5", new FailureEvent("edge-3", 12.5, 0.5)),
                // The last '@' splits, so a node id may hold one.
                Arguments.of("rack@2@60", new FailureEvent("rack@2", 60, FOREVER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String spec, FailureEvent expected) {
        assertEquals(expected, FailureEvent.parse(spec));
    }

    static Stream<Arguments> invalid() {
        String format = "--fail takes NODE@SECONDS or NODE@SECONDS+DOWN, e.g. edge-3@900 or busiest@900+300; got ";
        return Stream.of(
                Arguments.of("edge-3", format + "'edge-3'"),
                Arguments.of("@900", format + "'@900'"),
                Arguments.of("edge-3@", format + "'edge-3@'"),
                Arguments.of("", format + "''"),
                Arguments.of("edge-3@x", "--fail 'edge-3@x': the time is not a number"),
                Arguments.of("edge-3@900+y", "--fail 'edge-3@900+y': the time is not a number"),
                Arguments.of("edge-3@-5", "failure time must be finite and >= 0, was -5.0"),
                Arguments.of("edge-3@Infinity", "failure time must be finite and >= 0, was Infinity"),
                Arguments.of("edge-3@900+0", "down time must be > 0, was 0.0"));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("invalid")
    void rejectsWithAClearMessage(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FailureEvent.parse(spec));
        assertEquals(message, e.getMessage());
    }

    @Test
    void nullIsRejectedWithTheFormat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FailureEvent.parse(null));
        assertTrue(e.getMessage().startsWith("--fail takes NODE@SECONDS"), e.getMessage());
    }
}
