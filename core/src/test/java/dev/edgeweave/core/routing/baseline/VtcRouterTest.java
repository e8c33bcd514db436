package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static dev.edgeweave.core.routing.baseline.Script.dispatch;
import static dev.edgeweave.core.routing.baseline.Script.expect;
import static dev.edgeweave.core.routing.baseline.Script.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.TestCandidates;
import dev.edgeweave.core.routing.baseline.Script.Step;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VTC (AIBrix vtc-basic). A user's position on the ring of pods is (tokens / bucket) mod n, bucket =
 * max(1000, (min + max user tokens) / 2); score = circular distance + running/100 + U[0, 0.1), lowest wins.
 * Pods are ranked by server index: the candidates below (servers 9, 4, 6, 1) are pods 0..3 = servers 1, 4, 6, 9.
 *
 * <p>The light user is charged 300 + 2·100 = 500 tokens, the heavy one 1500 + 2·2000 = 5500: bucket
 * max(1000, 3000) = 3000, so light sits at 0.17 (pod 0, server 1) and heavy at 1.83 (pod 2, server 6). Every
 * expected pod wins by at least 0.5, more than the random term can move.
 */
class VtcRouterTest {

    static final Candidates FOUR = TestCandidates.of(server(9), server(4), server(6), server(1));
    static final RouteRequest LIGHT = Prompts.text(Prompts.CHAT, "light", 300, 100);
    static final RouteRequest HEAVY = Prompts.text(Prompts.CHAT, "heavy", 1500, 2000);
    static final RouteRequest FRESH = Prompts.chat("fresh");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a user without tokens sits at pod 0", FOUR, List.of(expect(FRESH, 1))),
                Arguments.of("a heavy user's prompts shift to a later pod; light ones stay at the start", FOUR,
                        List.of(dispatch(LIGHT, 1, 0), dispatch(HEAVY, 6, 0),
                                expect(HEAVY, 6), expect(LIGHT, 1), expect(FRESH, 1))),
                Arguments.of("positions wrap around the ring: heavy at 1.83 of 2 pods is next to pod 0",
                        TestCandidates.of(server(0), server(1)),
                        List.of(dispatch(LIGHT, 0, 0), dispatch(HEAVY, 0, 0), expect(HEAVY, 0))),
                Arguments.of("tokens leave the window after 5 minutes", FOUR,
                        List.of(dispatch(LIGHT, 1, 0), dispatch(HEAVY, 6, 0), expect(HEAVY, 6),
                                finish(LIGHT, 1, 1.0, 299), expect(HEAVY, 6),
                                finish(LIGHT, 1, 1.0, 400), expect(HEAVY, 1))),
                // One user with 500 tokens: bucket 1000, position 0.5, halfway between pods 0 and 1.
                Arguments.of("between two equally fair pods the less loaded wins",
                        TestCandidates.of(server(0).running(40), server(1), server(2)),
                        List.of(dispatch(LIGHT, 0, 0), expect(LIGHT, 1))),
                Arguments.of("waiting prompts are not load by default",
                        TestCandidates.of(server(0).queued(100), server(1), server(2)),
                        List.of(expect(FRESH, 0))),
                Arguments.of("the empty user is never charged",
                        FOUR, List.of(dispatch(Prompts.text(Prompts.CHAT, "", 5000, 5000), 6, 0),
                                expect(Prompts.text(Prompts.CHAT, "", 10, 10), 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placesUsersByTheirTokenShare(String name, Candidates candidates, List<Step> steps) {
        Script.run(new VtcRouter(3), candidates, steps);
    }

    @Test
    void utilisationWeighsAgainstFairness() {
        // Position 0; utilisation weight 3: pod 0 scores 3·1, pod 1 scores 1 + 0, pod 2 scores 1 + 3·0.5.
        VtcRouter router = new VtcRouter(3, 1.0, 3.0, 100.0, false);
        Candidates candidates = TestCandidates.of(server(0).running(100), server(1), server(2).running(50));
        assertEquals(1, Script.chosenServer(router, FRESH, candidates));
    }

    @Test
    void chargesInputPlusTwiceTheOutputTokens() {
        VtcRouter router = new VtcRouter(3);
        router.onDispatched(Prompts.text(Prompts.CHAT, "a", 100, 10), 0, 0);
        router.onDispatched(Prompts.text(Prompts.CHAT, "b", 100, 0), 0, 0);
        router.onDispatched(Prompts.image("c"), 0, 0);
        assertEquals(100 + 2 * 10, router.tokenCount("a"), 1e-9);
        assertEquals(100 + 2 * 100, router.tokenCount("b"), 1e-9, "output 0 is the model's default, 100");
        assertEquals(20, router.tokenCount("c"), 1e-9, "an image is not text output");
        router.onDispatched(Prompts.text(Prompts.CHAT, "a", 100, 10), 0, 30);
        assertEquals(240, router.tokenCount("a"), 1e-9);
    }

    @Test
    void bucketFollowsTheLightestAndHeaviestUsers() {
        VtcRouter router = new VtcRouter(3);
        assertEquals(0.0, router.position(0, 4), "no users: bucket (1000 + 8000) / 2");
        assertEquals(4500.0 / 4500.0, router.position(4500, 4), 1e-12);
        router.onDispatched(LIGHT, 0, 0);
        router.onDispatched(HEAVY, 0, 0);
        assertEquals(5500.0 / 3000.0, router.position(5500, 4), 1e-12);
        assertEquals((12_000.0 / 3000.0) % 3, router.position(12_000, 3), 1e-12, "wraps modulo the pod count");
    }

    @Test
    void aPromptWithoutUserGoesToARandomPod() {
        VtcRouter router = new VtcRouter(5);
        RouteRequest anonymous = Prompts.text(Prompts.CHAT, null, 100, 10);
        int[] hits = new int[4];
        for (int k = 0; k < 800; k++) {
            hits[router.choose(anonymous, FOUR)]++;
        }
        for (int hit : hits) {
            assertTrue(hit > 120, Arrays.toString(hits));
        }
    }
}
