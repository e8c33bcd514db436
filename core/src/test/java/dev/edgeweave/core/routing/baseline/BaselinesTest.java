package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import dev.edgeweave.core.routing.TestCandidates;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The factory, and what every baseline owes: its name, -1 without candidates, the same run from the same seed. */
class BaselinesTest {

    static List<String> names() {
        return Baselines.names();
    }

    @Test
    void namesTheEightBaselinesInOrder() {
        assertEquals(List.of("random", "round-robin", "least-busy", "latency-based", "power-of-two", "llm-d-scorer",
                "vtc", "nearest"), Baselines.names());
    }

    @ParameterizedTest
    @MethodSource("names")
    void createsARouterThatAnswersToItsName(String name) {
        Router router = Baselines.create(name, 1);
        assertEquals(name, router.name());
        assertNotSame(router, Baselines.create(name, 1), "every call makes a fresh router with its own state");
    }

    @Test
    void anUnknownNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Baselines.create("fastest", 1));
        assertTrue(e.getMessage().contains("'fastest'"), e.getMessage());
        for (String known : Baselines.names()) {
            assertTrue(e.getMessage().contains(known), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void returnsMinusOneWithoutCandidates(String name) {
        Router router = Baselines.create(name, 1);
        assertEquals(-1, router.choose(Prompts.chat("u"), new TestCandidates()));
        router.onDispatched(Prompts.chat("u"), 0, 1.0);
        router.onFinished(Prompts.chat("u"), 0, 1.0, true, 2.0);
        assertEquals(-1, router.choose(Prompts.chat("u"), new TestCandidates()));
    }

    @ParameterizedTest
    @MethodSource("names")
    void theSameSeedAndCallsGiveTheSameChoices(String name) {
        assertEquals(run(Baselines.create(name, 12345)), run(Baselines.create(name, 12345)));
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyChoiceIsACandidate(String name) {
        for (int server : run(Baselines.create(name, 7))) {
            assertTrue(server >= 0 && server < 20, name + " chose " + server);
        }
    }

    /**
     * A busy little run: prompts of three users and two models over servers whose load and distance change,
     * every choice dispatched and finished some prompts later. Returns the servers chosen.
     */
    static List<Integer> run(Router router) {
        SplittableRandom world = new SplittableRandom(2024);
        List<Integer> chosen = new ArrayList<>();
        List<RouteRequest> inFlightRequests = new ArrayList<>();
        List<Integer> inFlightServers = new ArrayList<>();
        double now = 0;
        for (int k = 0; k < 300; k++) {
            now += world.nextDouble() * 2;
            int n = 1 + world.nextInt(6);
            TestCandidates.Row[] servers = new TestCandidates.Row[n];
            int first = world.nextInt(20 - n + 1);
            for (int i = 0; i < n; i++) {
                servers[i] = server(first + (i * 7) % n).queued(world.nextInt(8)).running(world.nextInt(4))
                        .distanceKm(1 + world.nextInt(30)).memory(world.nextDouble());
            }
            Candidates candidates = TestCandidates.of(servers);
            RouteRequest request = Prompts.text(k % 3 == 0 ? Prompts.OTHER_CHAT : Prompts.CHAT, "user" + k % 3,
                    50 + world.nextInt(500), world.nextInt(300));
            int i = router.choose(request, candidates);
            int server = candidates.serverIndex(i);
            chosen.add(server);
            router.onDispatched(request, server, now);
            inFlightRequests.add(request);
            inFlightServers.add(server);
            if (inFlightRequests.size() > 4) {
                RouteRequest done = inFlightRequests.remove(0);
                router.onFinished(done, inFlightServers.remove(0), world.nextDouble() * 5, k % 11 != 0, now);
            }
        }
        return chosen;
    }
}
