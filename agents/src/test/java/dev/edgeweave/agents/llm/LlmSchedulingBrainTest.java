package dev.edgeweave.agents.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerSchedulingBrain;
import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The short-term scheduling agent's LLM brain under {@link GuardedAgent}, with the optimizer as fallback. No
 * language model is reachable from the machines that run these tests: a {@link ScriptedChatModel} answers with
 * recorded answers from {@code src/test/resources/llm/}.
 */
class LlmSchedulingBrainTest {

    private static final SchedulingSituation SITUATION = LlmFixtures.scheduling();

    private static GuardedAgent<SchedulingSituation, SchedulingDecision> guarded(LlmSchedulingBrain brain) {
        return new GuardedAgent<>(brain::decide, Brain.LLM, new OptimizerSchedulingBrain()::decide,
                LlmFixtures.GUARD::check);
    }

    private static LlmSchedulingBrain brain(ScriptedChatModel model, ExperienceMemory memory) {
        return new LlmSchedulingBrain(model, memory, LlmFixtures.OPTIONS);
    }

    private static AgentOutcome<SchedulingDecision> replaced(ScriptedChatModel.Step step) {
        LlmSchedulingBrain brain = brain(new ScriptedChatModel(step), ExperienceMemory.NONE);
        AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);
        assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict(), String.valueOf(o.fallbackReason()));
        assertEquals(Brain.OPTIMIZER, o.brain());
        assertTrue(brain.lastExperienceId().isEmpty(), "a failed decision leaves nothing to measure");
        return o;
    }

    @Test
    void aValidAnswerIsAppliedAndRemembered() {
        ListExperienceMemory memory = new ListExperienceMemory();
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("scheduling-valid.json"));
        LlmSchedulingBrain brain = brain(model, memory);

        AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);

        assertEquals(AgentOutcome.Verdict.ACCEPTED, o.verdict());
        assertEquals(Brain.LLM, o.brain());
        assertNull(o.fallbackReason());
        RoutingWeights w = o.decision().weights();
        assertEquals(Map.of(ModelClass.CHAT, 2.25, ModelClass.IMAGE_GENERATION, 0.8, ModelClass.SPEECH_SYNTHESIS, 0.7),
                w.classWeights(), "the answer's weights over those in force");
        assertEquals(Map.of("edge-1", 16), w.maxQueued(), "queue caps kept");
        assertEquals(Set.of(), w.excluded());
        assertEquals("CHAT has the worst mean slowdown (6.43) by far; raise it by 1.5x and lower the well-served "
                + "SPEECH_SYNTHESIS.", o.decision().rationale());

        Experience remembered = memory.held().get(0);
        assertEquals(brain.lastExperienceId().orElseThrow(), remembered.id());
        assertEquals("scheduling", remembered.agent());
        assertEquals(600.0, remembered.at());
        assertEquals(SituationTables.scheduling(SITUATION), remembered.situation());
        assertEquals("{\"weights\":{\"CHAT\":2.250,\"IMAGE_GENERATION\":0.800,\"SPEECH_SYNTHESIS\":0.700},"
                + "\"rationale\":\"" + o.decision().rationale() + "\"}", remembered.decision());
        assertEquals("", remembered.outcome(), "measured one period later by the caller");
        assertEquals(List.of(SituationTables.scheduling(SITUATION)), memory.recallQueries());
    }

    @Test
    void theRequestCarriesTheSystemPromptTheTableAndTheAnswerSchema() {
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("scheduling-valid.json"));
        brain(model, ExperienceMemory.NONE).decide(SITUATION);
        ChatRequest request = model.onlyRequest();
        SystemMessage system = (SystemMessage) request.messages().get(0);
        assertTrue(system.text().startsWith("You are the short-term scheduling agent of edgeweave"), system.text());
        assertTrue(system.text().contains("between 0.1 and 10"), system.text());
        assertEquals(ResponseFormatType.JSON, request.parameters().responseFormat().type());
        assertEquals("WeightsAnswer", request.parameters().responseFormat().jsonSchema().name());
    }

    @Test
    void anOutcomeMeasuredLaterIsRecalledForTheNextWindow() {
        ListExperienceMemory memory = new ListExperienceMemory();
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("scheduling-valid.json"),
                ScriptedChatModel.answer("scheduling-valid.json"));
        LlmSchedulingBrain brain = brain(model, memory);
        brain.decide(SITUATION);
        memory.outcome(brain.lastExperienceId().orElseThrow(), "mean slowdown CHAT 6.43 -> 4.10");
        brain.decide(SITUATION);

        String second = LlmSituationTablesTest.userText(model.requests().get(1).messages());
        assertTrue(second.contains("### past situation 1 (at 600.0 s)\n"), second);
        assertTrue(second.contains("decision taken: {\"weights\":{\"CHAT\":2.250,"), second);
        assertTrue(second.contains("outcome one period later: mean slowdown CHAT 6.43 -> 4.10\n"), second);
        assertEquals(2, memory.size());
    }

    @Test
    void answerInAMarkdownFenceWithLowerCaseClassIsRead() {
        LlmSchedulingBrain brain = brain(new ScriptedChatModel(ScriptedChatModel.answer("scheduling-fenced.md")),
                ExperienceMemory.NONE);
        AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);
        assertEquals(AgentOutcome.Verdict.ACCEPTED, o.verdict());
        assertEquals(2.0, o.decision().weights().weight(ModelClass.CHAT));
    }

    @Test
    void anAnswerThatIsNotJsonFallsBackSayingItCouldNotBeParsed() {
        AgentOutcome<SchedulingDecision> o = replaced(ScriptedChatModel.answer("scheduling-not-json.txt"));
        assertTrue(o.fallbackReason().startsWith("error: LlmAnswerException: unparseable answer: Failed to parse "
                + "\"Looking at the table"), o.fallbackReason());
        assertEquals(List.of(), o.findings());
    }

    @Test
    void anAnswerMissingAFieldFallsBackNamingIt() {
        AgentOutcome<SchedulingDecision> o = replaced(
                ScriptedChatModel.text("{\"weights\":[{\"modelClass\":\"CHAT\"}],\"rationale\":\"x\"}"));
        assertTrue(o.fallbackReason().contains("unparseable answer"), o.fallbackReason());
        assertTrue(o.fallbackReason().contains("'weight'"), o.fallbackReason());
    }

    @Test
    void aWeightOutOfRangeFallsBackSayingWhichAndWhy() {
        AgentOutcome<SchedulingDecision> o = replaced(ScriptedChatModel.answer("scheduling-weight-50.json"));
        assertEquals("error: LlmAnswerException: unusable answer: weight of CHAT must be in [0.1, 10.0], was 50.0",
                o.fallbackReason());
    }

    @Test
    void anUnknownClassFallsBackNamingIt() {
        AgentOutcome<SchedulingDecision> o = replaced(ScriptedChatModel.answer("scheduling-unknown-class.json"));
        assertTrue(o.fallbackReason().contains("unusable answer: unknown class 'VIDEO_GENERATION'"),
                o.fallbackReason());
    }

    @Test
    void aClassSetTwiceFallsBack() {
        AgentOutcome<SchedulingDecision> o = replaced(ScriptedChatModel.text("{\"weights\":[{\"modelClass\":\"CHAT\","
                + "\"weight\":2.0},{\"modelClass\":\"CHAT\",\"weight\":0.5}],\"rationale\":\"x\"}"));
        assertTrue(o.fallbackReason().contains("sets the weight of CHAT twice"), o.fallbackReason());
    }

    @Test
    void aModelThatNeverAnswersTimesOutAtTheDeadline() {
        LlmSchedulingBrain brain = new LlmSchedulingBrain(new ScriptedChatModel(ScriptedChatModel.hang()),
                ExperienceMemory.NONE, new LlmBrainOptions(0, Duration.ofMillis(200)));
        AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);
        assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict());
        assertEquals("error: LlmAnswerException: timeout: no answer within the deadline of 200 ms",
                o.fallbackReason());
    }

    @Test
    void aTimeoutOfTheModelClientFallsBackSayingTimeout() {
        AgentOutcome<SchedulingDecision> o = replaced(ScriptedChatModel.failure(
                new TimeoutException("request timed out")));
        assertEquals("error: LlmAnswerException: timeout: the model did not answer in time "
                + "(TimeoutException: request timed out)", o.fallbackReason());
    }

    @Test
    void aServerErrorFallsBack() {
        AgentOutcome<SchedulingDecision> o = replaced(ScriptedChatModel.failure(
                new dev.langchain4j.exception.InternalServerException("upstream crashed",
                        new dev.langchain4j.exception.HttpException(502, "bad gateway"))));
        assertEquals("error: LlmAnswerException: model error: HTTP 502 from the model server: bad gateway",
                o.fallbackReason());
    }

    @Test
    void aFailingMemoryCostsTheExperienceNotTheDecision() {
        ExperienceMemory broken = new ListExperienceMemory() {
            @Override
            public synchronized List<Experience> recall(String agent, String situation, int k) {
                throw new IllegalStateException("embedding model not loaded");
            }

            @Override
            public synchronized void remember(Experience e) {
                throw new IllegalStateException("store full");
            }
        };
        ScriptedChatModel model = new ScriptedChatModel(ScriptedChatModel.answer("scheduling-valid.json"));
        LlmSchedulingBrain brain = brain(model, broken);
        AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);
        assertEquals(AgentOutcome.Verdict.ACCEPTED, o.verdict());
        assertTrue(LlmSituationTablesTest.userText(model.onlyRequest().messages())
                .contains(LlmBrainCore.MEMORY_FAILED), "the prompt says why there is no experience");
        assertTrue(brain.lastExperienceId().isEmpty(), "nothing remembered, nothing to measure");
    }

    @Test
    void aRationaleIsKeptOnOneLineAndShort() {
        String longWinded = "first line\n\n" + "because ".repeat(100);
        LlmSchedulingBrain brain = brain(new ScriptedChatModel(ScriptedChatModel.text(
                "{\"weights\":[],\"rationale\":\"" + longWinded.replace("\n", "\\n") + "\"}")), ExperienceMemory.NONE);
        SchedulingDecision d = brain.decide(SITUATION);
        assertTrue(d.rationale().startsWith("first line because because"), d.rationale());
        assertEquals(LlmBrainCore.MAX_RATIONALE + 1, d.rationale().length(), d.rationale());
        assertEquals(SITUATION.current(), d.weights(), "no class named: the weights in force stand");
    }
}
