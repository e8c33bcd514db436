package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.baseline.Script.dispatch;
import static dev.edgeweave.core.routing.baseline.Script.expect;
import static dev.edgeweave.core.routing.baseline.Script.fail;
import static dev.edgeweave.core.routing.baseline.Script.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.TestCandidates;
import dev.edgeweave.core.routing.baseline.Script.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Latency-based (LiteLLM lowest_latency): lowest mean of the last 10 observed latencies per output token,
 * untried deployments first. Chat prompts here ask for 10 output tokens, so 1 s observed is 0.1 s/token.
 */
class LatencyBasedRouterTest {

    static final RouteRequest A = Prompts.chat("u");
    static final Candidates TWO = TestCandidates.idle(2);

    static Stream<Arguments> cases() {
        RouteRequest longAnswer = Prompts.text(Prompts.CHAT, "u", 100, 100);
        RouteRequest shortAnswer = Prompts.text(Prompts.CHAT, "u", 100, 10);
        RouteRequest defaultAnswer = Prompts.text(Prompts.CHAT, "u", 100, 0);
        RouteRequest otherModel = Prompts.text(Prompts.OTHER_CHAT, "u", 100, 10);
        RouteRequest image = Prompts.image("u");
        return Stream.of(
                Arguments.of("an untried deployment (latency 0) is tried first", List.of(
                        finish(A, 0, 1.0, 1), expect(A, 1))),
                Arguments.of("dispatch alone does not make a deployment tried", List.of(
                        dispatch(A, 1, 0), finish(A, 0, 1.0, 1), expect(A, 1))),
                Arguments.of("the lower mean wins, and follows new observations", List.of(
                        finish(A, 0, 2.0, 1), finish(A, 1, 1.0, 2), expect(A, 1),
                        finish(A, 1, 5.0, 3), expect(A, 0))),
                Arguments.of("latency is per output token: 5 s for 100 tokens beats 1 s for 10", List.of(
                        finish(longAnswer, 0, 5.0, 1), finish(shortAnswer, 1, 1.0, 2), expect(A, 0))),
                Arguments.of("output 0 means the model's default (100 tokens)", List.of(
                        finish(defaultAnswer, 0, 5.0, 1), finish(shortAnswer, 1, 1.0, 2), expect(A, 0))),
                Arguments.of("image responses have no token usage: raw seconds", List.of(
                        finish(image, 0, 5.0, 1), finish(image, 1, 1.0, 2), expect(image, 1))),
                Arguments.of("a failed attempt records nothing", List.of(
                        fail(A, 0, 0.1, 1), finish(A, 1, 1.0, 2), expect(A, 0))),
                Arguments.of("observations are per model", List.of(
                        finish(A, 0, 1.0, 1), finish(A, 1, 2.0, 2), finish(otherModel, 0, 3.0, 3),
                        expect(A, 0), expect(otherModel, 1))),
                Arguments.of("only the last 10 count: an early outlier is forgotten", rollingWindow()),
                Arguments.of("after an hour without a success the model starts over", List.of(
                        finish(A, 0, 1.0, 0), finish(A, 1, 10.0, 0), expect(A, 0),
                        finish(A, 0, 2.0, 4000), expect(A, 1))));
    }

    /** Server 0: one 100 s outlier then ten 1 s; server 1: ten 2 s. Means 1.0 and 2.0 (10.9 if the outlier stayed). */
    static List<Step> rollingWindow() {
        List<Step> steps = new ArrayList<>();
        steps.add(finish(A, 0, 100.0, 0));
        for (int k = 0; k < 10; k++) {
            steps.add(finish(A, 0, 1.0, 1 + k));
            steps.add(finish(A, 1, 2.0, 1 + k));
        }
        steps.add(expect(A, 0));
        return steps;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void prefersTheLowestObservedMean(String name, List<Step> steps) {
        Script.run(new LatencyBasedRouter(7), TWO, steps);
    }

    @Test
    void meanIsSecondsPerOutputToken() {
        LatencyBasedRouter router = new LatencyBasedRouter(7);
        router.onFinished(Prompts.text(Prompts.CHAT, "u", 100, 10), 3, 2.0, true, 1);
        router.onFinished(Prompts.text(Prompts.CHAT, "u", 100, 40), 3, 2.0, true, 2);
        assertEquals((0.2 + 0.05) / 2, router.mean(Prompts.CHAT.id(), 3), 1e-12);
        assertEquals(0.0, router.mean(Prompts.CHAT.id(), 4), "untried");
    }

    @Test
    void untriedDeploymentsShareTheDrawAtRandom() {
        int[] hits = countChoices(new LatencyBasedRouter(11), TestCandidates.idle(3), 600);
        for (int i = 0; i < 3; i++) {
            assertTrue(hits[i] > 100, "every untried deployment is drawn: " + Arrays.toString(hits));
        }
    }

    @Test
    void bufferAdmitsDeploymentsWithinItsShareOfTheLowest() {
        // Means 1.0 and 1.4: with buffer 0 only the first; with buffer 0.5 (threshold 1.5) both, at random.
        LatencyBasedRouter strict = new LatencyBasedRouter(3);
        LatencyBasedRouter buffered = new LatencyBasedRouter(3, 0.5, 10, 3600);
        for (LatencyBasedRouter router : List.of(strict, buffered)) {
            router.onFinished(A, 0, 10.0, true, 1);
            router.onFinished(A, 1, 14.0, true, 2);
        }
        int[] strictHits = countChoices(strict, TWO, 400);
        int[] bufferedHits = countChoices(buffered, TWO, 400);
        assertEquals(0, strictHits[1]);
        assertTrue(bufferedHits[0] > 120 && bufferedHits[1] > 120, Arrays.toString(bufferedHits));
    }

    static int[] countChoices(LatencyBasedRouter router, Candidates candidates, int draws) {
        int[] hits = new int[candidates.size()];
        for (int k = 0; k < draws; k++) {
            hits[router.choose(A, candidates)]++;
        }
        return hits;
    }
}
