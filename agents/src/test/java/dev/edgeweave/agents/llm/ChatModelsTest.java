package dev.edgeweave.agents.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeweave.agents.AgentOutcome;
import dev.edgeweave.agents.Brain;
import dev.edgeweave.agents.GuardedAgent;
import dev.edgeweave.agents.OptimizerSchedulingBrain;
import dev.edgeweave.agents.SchedulingDecision;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.memory.ExperienceMemory;
import dev.edgeweave.core.model.ModelClass;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The real chat models {@link ChatModels#create} builds, talking to a {@link ScriptedModelServer} on localhost
 * that stands in for a real model server (no language model is reachable from the machines that run these
 * tests): the request each sends (path, model, temperature 0, max tokens, the answer's JSON schema, the API
 * key), that the canned answer becomes a decision, and how a timeout and an HTTP error surface.
 */
class ChatModelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchedulingSituation SITUATION = LlmFixtures.scheduling();

    private static LlmSettings openAi(String url, Optional<String> key, Duration timeout) {
        return new LlmSettings(LlmSettings.Provider.OPENAI_COMPATIBLE, url + "/v1", "Qwen/Qwen2.5-7B-Instruct", key,
                timeout, 256);
    }

    private static LlmSchedulingBrain brain(LlmSettings settings) {
        return LlmSchedulingBrain.create(settings, ExperienceMemory.NONE, 0);
    }

    private static GuardedAgent<SchedulingSituation, SchedulingDecision> guarded(LlmSchedulingBrain brain) {
        return new GuardedAgent<>(brain::decide, Brain.LLM, new OptimizerSchedulingBrain()::decide,
                LlmFixtures.GUARD::check);
    }

    @Test
    void openAiCompatibleRequestCarriesModelTemperatureMaxTokensSchemaAndKey() throws Exception {
        try (ScriptedModelServer server = ScriptedModelServer.answering(200,
                ScriptedChatModel.resource("openai-chat-completion.json"))) {
            LlmSettings settings = openAi(server.url(), Optional.of("sk-test-123"), Duration.ofSeconds(10));
            SchedulingDecision d = brain(settings).decide(SITUATION);

            assertEquals(2.0, d.weights().weight(ModelClass.CHAT));
            assertEquals("CHAT has the worst mean slowdown.", d.rationale());

            ScriptedModelServer.Recorded r = server.onlyRequest();
            assertEquals("POST", r.method());
            assertEquals("/v1/chat/completions", r.path());
            assertEquals("Bearer sk-test-123", r.header("Authorization"));
            JsonNode body = JSON.readTree(r.body());
            assertEquals("Qwen/Qwen2.5-7B-Instruct", body.path("model").asText());
            assertEquals(0.0, body.path("temperature").asDouble(-1));
            assertTrue(body.path("temperature").isNumber(), r.body());
            assertEquals(256, body.path("max_tokens").asInt());
            JsonNode format = body.path("response_format");
            assertEquals("json_schema", format.path("type").asText(), r.body());
            assertTrue(format.path("json_schema").path("strict").asBoolean(), r.body());
            JsonNode schema = format.path("json_schema").path("schema");
            assertTrue(schema.path("properties").has("weights"), schema.toString());
            assertTrue(schema.path("properties").has("rationale"), schema.toString());
            assertEquals("system", body.path("messages").get(0).path("role").asText());
            assertEquals("user", body.path("messages").get(1).path("role").asText());
            assertTrue(body.path("messages").get(1).path("content").asText().contains("| CHAT | 120 | 4.877 |"),
                    r.body());
        }
    }

    @Test
    void openAiCompatibleWithoutKeySendsNone() {
        try (ScriptedModelServer server = ScriptedModelServer.answering(200,
                ScriptedChatModel.resource("openai-chat-completion.json"))) {
            brain(openAi(server.url(), Optional.empty(), Duration.ofSeconds(10))).decide(SITUATION);
            assertEquals("Bearer " + ChatModels.NO_API_KEY, server.onlyRequest().header("Authorization"));
        }
    }

    @Test
    void ollamaRequestCarriesModelTemperatureNumPredictAndSchemaAsFormat() throws Exception {
        try (ScriptedModelServer server = ScriptedModelServer.answering(200,
                ScriptedChatModel.resource("ollama-chat-response.json"))) {
            LlmSettings settings = new LlmSettings(LlmSettings.Provider.OLLAMA, server.url(), "qwen2.5:7b",
                    Duration.ofSeconds(10), 256);
            SchedulingDecision d = brain(settings).decide(SITUATION);
            assertEquals(2.0, d.weights().weight(ModelClass.CHAT));

            ScriptedModelServer.Recorded r = server.onlyRequest();
            assertEquals("POST", r.method());
            assertEquals("/api/chat", r.path());
            assertNull(r.header("Authorization"));
            JsonNode body = JSON.readTree(r.body());
            assertEquals("qwen2.5:7b", body.path("model").asText());
            assertFalse(body.path("stream").asBoolean(true), r.body());
            assertEquals(0.0, body.path("options").path("temperature").asDouble(-1), r.body());
            assertTrue(body.path("options").path("temperature").isNumber(), r.body());
            assertEquals(256, body.path("options").path("num_predict").asInt(), r.body());
            JsonNode format = body.path("format");
            assertTrue(format.isObject(), "the JSON schema as format: " + r.body());
            assertTrue(format.path("properties").has("weights"), format.toString());
        }
    }

    @Test
    void aServerSlowerThanTheTimeoutIsATimeoutAndTheOptimizerDecides() {
        try (ScriptedModelServer server = ScriptedModelServer.hanging()) {
            LlmSchedulingBrain brain = brain(openAi(server.url(), Optional.empty(), Duration.ofMillis(300)));
            LlmAnswerException e = assertThrows(LlmAnswerException.class, () -> brain.decide(SITUATION));
            assertEquals(LlmAnswerException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("timeout: "), e.getMessage());

            AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);
            assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict());
            assertEquals(Brain.OPTIMIZER, o.brain());
            assertTrue(o.fallbackReason().contains("timeout"), o.fallbackReason());
            assertTrue(brain.lastExperienceId().isEmpty());
        }
    }

    @Test
    void anHttpErrorIsAModelErrorAndTheOptimizerDecides() {
        try (ScriptedModelServer server = ScriptedModelServer.answering(500,
                ScriptedChatModel.resource("openai-error-500.json"))) {
            LlmSchedulingBrain brain = brain(openAi(server.url(), Optional.empty(), Duration.ofSeconds(10)));
            AgentOutcome<SchedulingDecision> o = guarded(brain).decide(SITUATION);
            assertEquals(AgentOutcome.Verdict.REPLACED, o.verdict());
            assertEquals(Brain.OPTIMIZER, o.brain());
            assertTrue(o.fallbackReason().contains("model error: HTTP 500"), o.fallbackReason());
            assertTrue(o.fallbackReason().contains("overloaded"), o.fallbackReason());
            assertEquals(1, server.requests().size(), "no retry: the optimizer is the retry");
        }
    }

    @Test
    void aServerThatIsNotThereIsAModelError() {
        String url;
        try (ScriptedModelServer gone = ScriptedModelServer.answering(200, "{}")) {
            url = gone.url();
        }
        LlmSchedulingBrain brain = brain(openAi(url, Optional.empty(), Duration.ofSeconds(5)));
        LlmAnswerException e = assertThrows(LlmAnswerException.class, () -> brain.decide(SITUATION));
        assertEquals(LlmAnswerException.Kind.MODEL_ERROR, e.kind(), e.getMessage());
    }
}
