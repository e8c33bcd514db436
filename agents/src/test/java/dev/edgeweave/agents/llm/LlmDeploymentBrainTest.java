package dev.edgeweave.agents.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.DeploymentDecision;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerDeploymentBrain;
import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.placement.OnNodePacker.Action.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The on-node deployment agent's LLM brain under {@link GuardedAgent}, with the optimizer as fallback. No
 * language model is reachable from the machines that run these tests: a {@link ScriptedChatModel} answers with
 * recorded answers from {@code src/test/resources/llm/}.
 */
class LlmDeploymentBrainTest {

    private static final DeploymentSituation SITUATION = LlmFixtures.deployment();
    private static final double NOW = 4321.5;

    private static LlmDeploymentBrain brain(String answer, ExperienceMemory memory) {
        return new LlmDeploymentBrain(new ScriptedChatModel(ScriptedChatModel.answer(answer)), LlmFixtures.MODELS,
                memory, LlmFixtures.OPTIONS, () -> NOW);
    }

    private static AgentOutcome<DeploymentDecision> run(LlmDeploymentBrain brain) {
        return new GuardedAgent<>(brain::decide, Brain.LLM, new OptimizerDeploymentBrain(LlmFixtures.MODELS)::decide,
                LlmFixtures.GUARD::check).decide(SITUATION);
    }

    private static void assertReplaced(AgentOutcome<DeploymentDecision> o) {
        assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict(), String.valueOf(o.fallbackReason()));
        assertEquals(Brain.OPTIMIZER, o.brain());
    }

    @Test
    void aValidPlanIsAppliedInItsOrderAndRemembered() {
        ListExperienceMemory memory = new ListExperienceMemory();
        LlmDeploymentBrain brain = brain("deployment-valid.json", memory);
        AgentOutcome<DeploymentDecision> o = run(brain);

        assertEquals(AgentOutcome.Verdict.ACCEPTED, o.verdict());
        assertEquals(Brain.LLM, o.brain());
        assertNull(o.fallbackReason());
        assertEquals(new OnNodePacker.Plan(
                List.of(new OnNodePacker.Action(Kind.UNLOAD, "sdxl", 0, 1, 1.0),
                        new OnNodePacker.Action(Kind.LOAD, "kokoro-82m", 0, 8, 1.0)),
                List.of(new Deployment("llama-3.1-8b-instruct", 0, 8))), o.decision().plan());

        Experience e = memory.held().get(0);
        assertEquals(brain.lastExperienceId().orElseThrow(), e.id());
        assertEquals("deployment", e.agent());
        assertEquals(NOW, e.at());
        assertEquals("{\"actions\":[{\"kind\":\"UNLOAD\",\"model\":\"sdxl\",\"gpu\":0,\"slots\":1,\"share\":1.000},"
                + "{\"kind\":\"LOAD\",\"model\":\"kokoro-82m\",\"gpu\":0,\"slots\":8,\"share\":1.000}],"
                + "\"deferred\":[\"llama-3.1-8b-instruct\"],\"rationale\":\"" + o.decision().rationale() + "\"}",
                e.decision());
    }

    @Test
    void aLoadOverTheGpusMemoryReachesTheGuardAndIsReplaced() {
        // The L4 holds qwen 12.1 GB + sdxl 10 GB (unloaded, but held until drained): the 8B's 8.2 GB and kokoro's
        // 0.35 GB make 30.65 GB of 24 GB.
        AgentOutcome<DeploymentDecision> o = run(brain("deployment-over-memory.json", ExperienceMemory.NONE));
        assertReplaced(o);
        assertEquals(List.of("GPU 0 of edge-2 would hold 30.7 GB of 24.0 GB"), o.findings());
        assertEquals(List.of(), LlmFixtures.GUARD.check(SITUATION, o.decision()), "the optimizer's plan stands");
    }

    @Test
    void anUnknownActionKindFallsBackNamingIt() {
        AgentOutcome<DeploymentDecision> o = run(brain("deployment-unknown-kind.json", ExperienceMemory.NONE));
        assertReplaced(o);
        assertEquals("error: LlmAnswerException: unusable answer: unknown action kind 'MIGRATE'; the kinds are "
                + "[UNLOAD, LOAD, RESIZE]", o.fallbackReason());
    }

    @Test
    void deferringAModelOutsideTheTargetFallsBack() {
        AgentOutcome<DeploymentDecision> o = run(brain("deployment-defers-unknown.json", ExperienceMemory.NONE));
        assertReplaced(o);
        assertEquals("error: LlmAnswerException: unusable answer: defers llama-3.1-70b, which is not in edge-2's "
                + "target [kokoro-82m, llama-3.1-8b-instruct, qwen2.5-vl-7b]", o.fallbackReason());
    }

    @Test
    void aGpuTheServerDoesNotHaveReachesTheGuard() {
        LlmDeploymentBrain brain = new LlmDeploymentBrain(new ScriptedChatModel(ScriptedChatModel.text(
                "{\"actions\":[{\"kind\":\"LOAD\",\"model\":\"kokoro-82m\",\"gpu\":3,\"slots\":8,\"share\":1.0}],"
                        + "\"deferred\":[],\"rationale\":\"x\"}")), LlmFixtures.MODELS, ExperienceMemory.NONE,
                LlmFixtures.OPTIONS, () -> NOW);
        AgentOutcome<DeploymentDecision> o = run(brain);
        assertReplaced(o);
        assertTrue(o.findings().contains("LOAD of kokoro-82m on GPU 3, which edge-2 does not have"),
                o.findings().toString());
    }
}
