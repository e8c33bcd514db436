package dev.edgeweave.agents.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerPlanningBrain;
import dev.edgeweave.agents.PlanningDecision;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.placement.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The long-term planning agent's LLM brain under {@link GuardedAgent}, with the optimizer as fallback: a
 * hallucinated server or a plan over a GPU's memory reaches the guard and is replaced. No language model is
 * reachable from the machines that run these tests: a {@link ScriptedChatModel} answers with recorded answers
 * from {@code src/test/resources/llm/}.
 */
class LlmPlanningBrainTest {

    private static final PlanningSituation SITUATION = LlmFixtures.planning();

    private static LlmPlanningBrain brain(ScriptedChatModel model, ExperienceMemory memory) {
        return new LlmPlanningBrain(model, LlmFixtures.MODELS, LlmFixtures.CHURN, memory, LlmFixtures.OPTIONS);
    }

    private static AgentOutcome<PlanningDecision> run(String answer) {
        LlmPlanningBrain brain = brain(new ScriptedChatModel(ScriptedChatModel.answer(answer)), ExperienceMemory.NONE);
        return new GuardedAgent<>(brain::decide, Brain.LLM, new OptimizerPlanningBrain()::decide,
                LlmFixtures.GUARD::check).decide(SITUATION);
    }

    private static void assertReplaced(AgentOutcome<PlanningDecision> o) {
        assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict(), String.valueOf(o.fallbackReason()));
        assertEquals(Brain.OPTIMIZER, o.brain());
        assertEquals(List.of(), LlmFixtures.GUARD.check(SITUATION, o.decision()), "the optimizer's plan stands");
    }

    @Test
    void aValidPlacementIsAppliedAndRemembered() {
        ListExperienceMemory memory = new ListExperienceMemory();
        LlmPlanningBrain brain = brain(new ScriptedChatModel(ScriptedChatModel.answer("planning-valid.json")), memory);
        AgentOutcome<PlanningDecision> o = new GuardedAgent<>(brain::decide, Brain.LLM,
                new OptimizerPlanningBrain()::decide, LlmFixtures.GUARD::check).decide(SITUATION);

        assertEquals(AgentOutcome.Verdict.ACCEPTED, o.verdict());
        assertEquals(Brain.LLM, o.brain());
        assertNull(o.fallbackReason());
        var placement = o.decision().placement();
        assertEquals(List.of(new Deployment("llama-3.1-8b-instruct", 0, 8, 2.0), new Deployment("qwen2.5-vl-7b", 0, 4)),
                placement.deploymentsOf("edge-1"), "a deployment that stays keeps its share weight");
        assertEquals(List.of(new Deployment("sdxl-turbo", 0, 1), new Deployment("whisper-large-v3-turbo", 0, 4),
                new Deployment("kokoro-82m", 0, 4)), placement.deploymentsOf("edge-2"));
        assertEquals(List.of(), placement.deploymentsOf("edge-3"));
        assertTrue(o.decision().rationale().startsWith("kokoro-82m is asked for"), o.decision().rationale());

        Experience e = memory.held().get(0);
        assertEquals(brain.lastExperienceId().orElseThrow(), e.id());
        assertEquals("planning", e.agent());
        assertEquals(3600.0, e.at());
        assertTrue(e.decision().startsWith("{\"deployments\":[{\"server\":\"edge-1\","
                + "\"model\":\"llama-3.1-8b-instruct\",\"gpu\":0,\"slots\":8},"), e.decision());
        assertTrue(e.decision().contains("{\"server\":\"edge-2\",\"model\":\"kokoro-82m\",\"gpu\":0,\"slots\":4}],"
                + "\"rationale\":\"kokoro-82m"), e.decision());
    }

    @Test
    void theChurnLimitIsToldToTheModel() {
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("planning-valid.json"));
        brain(model, ExperienceMemory.NONE).decide(SITUATION);
        String user = LlmSituationTablesTest.userText(model.onlyRequest().messages());
        assertTrue(user.contains("each server may have at most " + LlmFixtures.CHURN + " loads plus unloads"), user);
        assertTrue(user.contains(SituationTables.planning(SITUATION, LlmFixtures.MODELS)), user);
    }

    @Test
    void aHallucinatedServerReachesTheGuardAndIsReplaced() {
        AgentOutcome<PlanningDecision> o = run("planning-unknown-server.json");
        assertReplaced(o);
        assertTrue(o.findings().contains("places models on unknown server edge-9"), o.findings().toString());
        assertTrue(o.fallbackReason().startsWith("guard: "), o.fallbackReason());
    }

    @Test
    void aPlacementOverAGpusMemoryReachesTheGuardAndIsReplaced() {
        // edge-2's L4: sdxl-turbo 10 GB + whisper turbo 2.5 GB + qwen2.5-vl-7b 12.1 GB = 24.6 GB of 24 GB.
        AgentOutcome<PlanningDecision> o = run("planning-over-memory.json");
        assertReplaced(o);
        assertEquals(List.of("GPU 0 of edge-2 would hold 24.6 GB of 24.0 GB"), o.findings());
    }

    @Test
    void aModelTwiceOnOneServerCannotBeAPlacement() {
        AgentOutcome<PlanningDecision> o = run("planning-model-twice.json");
        assertReplaced(o);
        assertTrue(o.fallbackReason().startsWith("error: LlmAnswerException: unusable answer: server edge-1 lists "
                + "a model twice"), o.fallbackReason());
    }

    @Test
    void noSlotsCannotBeADeployment() {
        LlmPlanningBrain brain = brain(new ScriptedChatModel(ScriptedChatModel.text("{\"deployments\":[{\"server\":"
                + "\"edge-1\",\"model\":\"sdxl\",\"gpu\":0,\"slots\":0}],\"rationale\":\"x\"}")),
                ExperienceMemory.NONE);
        LlmAnswerException e = assertThrows(LlmAnswerException.class, () -> brain.decide(SITUATION));
        assertEquals("unusable answer: sdxl on edge-1: concurrency must be >= 1, was 0", e.getMessage());
        assertTrue(brain.lastExperienceId().isEmpty());
    }
}
