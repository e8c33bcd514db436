package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.TestCandidates;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power of two choices (Ray Serve): two distinct random replicas, the one with fewer ongoing requests (queued +
 * running) wins, only replicas below max_ongoing_requests accept.
 */
class PowerOfTwoRouterTest {

    static final int DRAWS = 3_000;

    /** Cases whose every possible pair has a clear winner, so the outcome set does not depend on the seed. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("two replicas: always the shorter queue",
                        TestCandidates.of(server(0).queued(3).running(2), server(1).running(4)),
                        Integer.MAX_VALUE, new int[] {1}, new int[] {0}),
                Arguments.of("ongoing = queued + running",
                        TestCandidates.of(server(0).queued(0).running(6), server(1).queued(5).running(0)),
                        Integer.MAX_VALUE, new int[] {1}, new int[] {0}),
                Arguments.of("three replicas: the longest queue never wins a pair; the others do",
                        TestCandidates.withQueues(0, 5, 9), Integer.MAX_VALUE, new int[] {0, 1}, new int[] {2}),
                Arguments.of("a replica at max_ongoing_requests does not accept, however short the other",
                        TestCandidates.withQueues(4, 3), 4, new int[] {1}, new int[] {0}),
                Arguments.of("pairs are redrawn until one holds an accepting replica",
                        TestCandidates.withQueues(10, 2, 11, 12), 5, new int[] {1}, new int[] {0, 2, 3}),
                Arguments.of("every replica full: none", TestCandidates.withQueues(4, 6, 5), 4,
                        new int[] {-1}, new int[] {0, 1, 2}),
                Arguments.of("one replica, full: none", TestCandidates.withQueues(4), 4, new int[] {-1},
                        new int[] {0}),
                Arguments.of("one replica, accepting: it", TestCandidates.withQueues(3), 4, new int[] {0},
                        new int[] {-1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picksTheShorterOfItsPair(String name, Candidates candidates, int cap, int[] chosenOnly, int[] never) {
        PowerOfTwoRouter router = new PowerOfTwoRouter(5, cap);
        boolean[] seen = new boolean[candidates.size() + 1];
        for (int k = 0; k < DRAWS; k++) {
            int server = Script.chosenServer(router, Prompts.chat("u"), candidates);
            assertTrue(Arrays.stream(never).noneMatch(s -> s == server), name + ": chose " + server);
            seen[server + 1] = true;
        }
        for (int server : chosenOnly) {
            assertTrue(seen[server + 1], name + ": never chose " + server);
        }
    }

    @Test
    void samplesTwoDistinctReplicasUniformlyAndTakesTheShorter() {
        // Replays the router's own draws (i = randrange(n), j = randrange(n-1) shifted past i) with the same seed,
        // so each choice is checked against the two replicas it sampled.
        int[] queues = {7, 3, 9, 1, 5};
        Candidates candidates = TestCandidates.withQueues(queues);
        PowerOfTwoRouter router = new PowerOfTwoRouter(99);
        SplittableRandom replay = new SplittableRandom(99);
        for (int k = 0; k < 200; k++) {
            int i = replay.nextInt(5);
            int j = replay.nextInt(4);
            if (j >= i) {
                j++;
            }
            int expected = queues[j] < queues[i] ? j : i;
            assertEquals(expected, router.choose(Prompts.chat("u"), candidates), "draw " + k);
        }
    }

    @Test
    void equalQueuesSplitByCoinFlip() {
        PowerOfTwoRouter router = new PowerOfTwoRouter(17);
        Candidates candidates = TestCandidates.withQueues(2, 2);
        int[] hits = new int[2];
        for (int k = 0; k < 1_000; k++) {
            hits[router.choose(Prompts.chat("u"), candidates)]++;
        }
        assertTrue(hits[0] > 400 && hits[1] > 400, Arrays.toString(hits));
    }
}
