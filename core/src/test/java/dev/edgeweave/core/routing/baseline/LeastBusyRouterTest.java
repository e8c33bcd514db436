package dev.edgeweave.core.routing.baseline;

import static dev.edgeweave.core.routing.TestCandidates.server;
import static dev.edgeweave.core.routing.baseline.Script.dispatch;
import static dev.edgeweave.core.routing.baseline.Script.expect;
import static dev.edgeweave.core.routing.baseline.Script.fail;
import static dev.edgeweave.core.routing.baseline.Script.finish;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.TestCandidates;
import dev.edgeweave.core.routing.baseline.Script.Step;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Least-busy (LiteLLM): fewest in-flight prompts this router dispatched, per model and server. */
class LeastBusyRouterTest {

    static Stream<Arguments> cases() {
        var a = Prompts.chat("u");
        var b = Prompts.text(Prompts.OTHER_CHAT, "u", 100, 10);
        Candidates three = TestCandidates.idle(3);
        return Stream.of(
                Arguments.of("untried servers count 0; ties go to the lowest index", three, List.of(
                        expect(a, 0), dispatch(a, 0, 0), expect(a, 1), dispatch(a, 1, 0),
                        expect(a, 2), dispatch(a, 2, 0), expect(a, 0))),
                Arguments.of("a finished prompt frees its server", three, List.of(
                        dispatch(a, 0, 0), dispatch(a, 0, 0), dispatch(a, 1, 0), dispatch(a, 2, 0),
                        expect(a, 1), finish(a, 2, 1.0, 1), expect(a, 2), finish(a, 0, 1.0, 2),
                        finish(a, 0, 1.0, 3), expect(a, 0))),
                Arguments.of("a failed attempt frees its server too", three, List.of(
                        dispatch(a, 0, 0), dispatch(a, 1, 0), dispatch(a, 2, 0), dispatch(a, 2, 0),
                        fail(a, 1, 0.5, 1), expect(a, 1))),
                Arguments.of("counts are per model", three, List.of(
                        dispatch(a, 0, 0), dispatch(a, 1, 0), expect(a, 2), expect(b, 0))),
                Arguments.of("the servers' own queues are not read, only the router's count",
                        TestCandidates.of(server(0).queued(40), server(1)), List.of(
                                dispatch(a, 1, 0), expect(a, 0))),
                Arguments.of("a finish never drives a count below zero", TestCandidates.idle(2), List.of(
                        finish(a, 0, 1.0, 0), finish(a, 0, 1.0, 0), dispatch(a, 0, 1), expect(a, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void followsDispatchesAndFinishes(String name, Candidates candidates, List<Step> steps) {
        Script.run(new LeastBusyRouter(), candidates, steps);
    }
}
