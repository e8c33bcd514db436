package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.TestCandidates;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llm-d EPP default profile: 2 × queue score (min-max over waiting queues, shortest 1) + 2 × (1 − memory
 * utilisation), highest wins.
 */
class LlmdScorerRouterTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("equal memory: the shortest waiting queue", TestCandidates.of(
                        server(0).queued(4).memory(0.5),
                        server(1).queued(0).memory(0.5),
                        server(2).queued(2).memory(0.5)), 1),
                Arguments.of("equal queues: the lowest memory utilisation", TestCandidates.of(
                        server(0).queued(3).memory(0.8),
                        server(1).queued(3).memory(0.2),
                        server(2).queued(3).memory(0.5)), 1),
                // 2·1 + 2·0.1 = 2.2 ; 2·0 + 2·1 = 2.0 ; 2·0.5 + 2·0.7 = 2.4
                Arguments.of("weighted, not lexicographic: neither the shortest queue nor the emptiest memory",
                        TestCandidates.of(
                                server(0).queued(0).memory(0.9),
                                server(1).queued(10).memory(0.0),
                                server(2).queued(5).memory(0.3)), 2),
                // queue scores 1, 0.75, 0: 2·1 + 2·0.4 = 2.8 ; 2·0.75 + 2·0.9 = 3.3 ; 2·0 + 2·1 = 2.0
                Arguments.of("queue scores are min-max normalised over the candidates", TestCandidates.of(
                        server(0).queued(2).memory(0.6),
                        server(1).queued(4).memory(0.1),
                        server(2).queued(10).memory(0.0)), 1),
                Arguments.of("running prompts are not the waiting queue", TestCandidates.of(
                        server(0).queued(1).running(0).memory(0.5),
                        server(1).queued(0).running(30).memory(0.5)), 1),
                Arguments.of("no candidate", new TestCandidates(), -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picksTheHighestWeightedScore(String name, Candidates candidates, int expectedServer) {
        assertEquals(expectedServer, Script.chosenServer(new LlmdScorerRouter(1), Prompts.chat("u"), candidates));
    }

    @Test
    void queueScoreIsNeutralWhenAllQueuesAreEqual() {
        assertEquals(1.0, LlmdScorerRouter.queueScore(3, 3, 3));
        assertEquals(0.5, LlmdScorerRouter.queueScore(5, 0, 10));
    }

    @Test
    void tiesAreBrokenAtRandomAsTheMaxScorePickerDoes() {
        LlmdScorerRouter router = new LlmdScorerRouter(8);
        Candidates alike = TestCandidates.idle(3);
        int[] hits = new int[3];
        for (int k = 0; k < 900; k++) {
            hits[router.choose(Prompts.chat("u"), alike)]++;
        }
        for (int hit : hits) {
            assertTrue(hit > 200, "every tied endpoint is picked: " + Arrays.toString(hits));
        }
    }
}
