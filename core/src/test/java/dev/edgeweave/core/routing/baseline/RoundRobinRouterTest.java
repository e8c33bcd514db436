package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static dev.edgeweave.core.routing.baseline.Script.expect;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.TestCandidates;
import dev.edgeweave.core.routing.baseline.Script.Step;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round-robin (vLLM production-stack): each model's endpoints in turn, sorted by server index. */
class RoundRobinRouterTest {

    static final Candidates SCRAMBLED = TestCandidates.of(server(7), server(2), server(5));

    static Stream<Arguments> cases() {
        var a = Prompts.chat("u");
        var b = Prompts.text(Prompts.OTHER_CHAT, "u", 100, 10);
        return Stream.of(
                Arguments.of("cycles in server-index order, not candidate order", SCRAMBLED, List.of(
                        expect(a, 2), expect(a, 5), expect(a, 7), expect(a, 2), expect(a, 5))),
                Arguments.of("a counter per model: interleaved models each start at the first server", SCRAMBLED,
                        List.of(expect(a, 2), expect(b, 2), expect(a, 5), expect(b, 5), expect(b, 7),
                                expect(a, 7), expect(a, 2))),
                Arguments.of("load is ignored", TestCandidates.of(server(0).queued(100), server(1)), List.of(
                        expect(a, 0), expect(a, 1), expect(a, 0))),
                Arguments.of("one endpoint takes every request", TestCandidates.idle(1), List.of(
                        expect(a, 0), expect(a, 0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rotates(String name, Candidates candidates, List<Step> steps) {
        Script.run(new RoundRobinRouter(), candidates, steps);
    }
}
