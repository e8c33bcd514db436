package dev.edgeweave.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The guard's wrapper with stand-in brains: plain functions in place of a language model (which is not
 * part of this module) and of the optimizer, so each path is forced deterministically.
 */
class GuardedAgentTest {

    /** The guard of this test: a decision is an integer, and it must be even. */
    private static List<String> evenOnly(String situation, Integer decision) {
        return decision % 2 == 0 ? List.of() : List.of(decision + " is odd");
    }

    private static final Function<String, Integer> OPTIMIZER = s -> 2;

    @Test
    void anAnswerThatPassesStands() {
        AgentOutcome<Integer> o = new GuardedAgent<String, Integer>(s -> 4, Brain.LLM, OPTIMIZER,
                GuardedAgentTest::evenOnly).decide("s");
        assertEquals(4, o.decision());
        assertEquals(Brain.LLM, o.brain());
        assertEquals(AgentOutcome.Verdict.ACCEPTED, o.verdict());
        assertNull(o.fallbackReason());
    }

    @Test
    void anAnswerThatFailsTheGuardIsReplacedByTheOptimizers() {
        AgentOutcome<Integer> o = new GuardedAgent<String, Integer>(s -> 3, Brain.LLM, OPTIMIZER,
                GuardedAgentTest::evenOnly).decide("s");
        assertEquals(2, o.decision());
        assertEquals(Brain.OPTIMIZER, o.brain());
        assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict());
        assertEquals(List.of("3 is odd"), o.findings());
        assertEquals("guard: 3 is odd", o.fallbackReason());
    }

    @Test
    void aBrainThatThrowsIsReplaced() {
        AgentOutcome<Integer> o = new GuardedAgent<String, Integer>(s -> {
            throw new IllegalStateException("timed out");
        }, Brain.LLM, OPTIMIZER, GuardedAgentTest::evenOnly).decide("s");
        assertEquals(2, o.decision());
        assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict());
        assertTrue(o.fallbackReason().contains("timed out"), o.fallbackReason());
    }

    @Test
    void anOptimizerAnswerThatFailsIsRefusedAndNothingChanges() {
        Function<String, Integer> odd = s -> 5;
        AgentOutcome<Integer> o = new GuardedAgent<>(odd, Brain.OPTIMIZER, odd, GuardedAgentTest::evenOnly)
                .decide("s");
        assertNull(o.decision());
        assertEquals(AgentOutcome.Verdict.REJECTED, o.verdict());
        assertEquals(Brain.OPTIMIZER, o.brain());
    }
}
