package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.TestCandidates;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Random: uniform over the candidates, whatever their load or distance. */
class RandomRouterTest {

    static final int DRAWS = 8_000;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("one candidate is always chosen", TestCandidates.idle(1)),
                Arguments.of("four idle servers", TestCandidates.idle(4)),
                Arguments.of("load and distance are ignored", TestCandidates.of(
                        server(3).queued(50).distanceKm(40),
                        server(9),
                        server(1).memory(0.99))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesEveryCandidateAboutEquallyOften(String name, Candidates candidates) {
        RandomRouter router = new RandomRouter(42);
        int n = candidates.size();
        int[] hits = new int[n];
        for (int k = 0; k < DRAWS; k++) {
            hits[router.choose(Prompts.chat("u"), candidates)]++;
        }
        double expected = (double) DRAWS / n;
        for (int i = 0; i < n; i++) {
            // 5 standard deviations of a binomial count: fails by chance about once in 3 million runs.
            double sd = Math.sqrt(DRAWS * (1.0 / n) * (1.0 - 1.0 / n));
            assertTrue(Math.abs(hits[i] - expected) <= 5 * sd + 1e-9,
                    "candidate " + i + " chosen " + hits[i] + " times, expected about " + expected);
        }
        assertEquals(DRAWS, Arrays.stream(hits).sum());
    }
}
