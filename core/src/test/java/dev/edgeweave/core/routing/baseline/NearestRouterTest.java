package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.TestCandidates;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Nearest: the smallest distance, then the shortest round trip, then the lowest server index. */
class NearestRouterTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("the closest wins", TestCandidates.of(
                        server(0).distanceKm(5), server(1).distanceKm(2), server(2).distanceKm(9)), 1),
                Arguments.of("load is ignored", TestCandidates.of(
                        server(0).distanceKm(0.5).queued(80).memory(0.95), server(1).distanceKm(3)), 0),
                Arguments.of("equal distance: the shorter round trip", TestCandidates.of(
                        server(4).distanceKm(2).rttSeconds(0.020), server(6).distanceKm(2).rttSeconds(0.012)), 6),
                Arguments.of("equal distance and round trip: the lower server index", TestCandidates.of(
                        server(8).distanceKm(2), server(3).distanceKm(2), server(5).distanceKm(2)), 3),
                Arguments.of("no candidate", new TestCandidates(), -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picksTheClosest(String name, Candidates candidates, int expectedServer) {
        assertEquals(expectedServer, Script.chosenServer(new NearestRouter(), Prompts.chat("u"), candidates));
    }
}
