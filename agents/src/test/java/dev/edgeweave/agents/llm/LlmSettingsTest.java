package dev.edgeweave.agents.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Settings of the language model: what is refused, and with which message. No model is contacted. */
class LlmSettingsTest {

    private static final LlmSettings.Provider OPENAI = LlmSettings.Provider.OPENAI_COMPATIBLE;

    private static String refusal(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void refusesWhatCannotWorkNamingIt() {
        Duration t = Duration.ofSeconds(5);
        assertTrue(refusal(() -> new LlmSettings(OPENAI, "localhost:8000/v1", "m", t, 1)).contains(
                "must start with http:// or https://"));
        assertTrue(refusal(() -> new LlmSettings(OPENAI, "http://", "m", t, 1)).contains("is not a URL"));
        assertTrue(refusal(() -> new LlmSettings(OPENAI, "http://h:8000/v1", " ", t, 1)).contains(
                "model name must not be blank"));
        assertTrue(refusal(() -> new LlmSettings(OPENAI, "http://h:8000/v1", "m", Duration.ZERO, 1)).contains(
                "timeout must be > 0, was PT0S"));
        assertTrue(refusal(() -> new LlmSettings(OPENAI, "http://h:8000/v1", "m", t, 0)).contains(
                "max tokens must be >= 1, was 0"));
        assertTrue(refusal(() -> new LlmSettings(OPENAI, "http://h:8000/v1", "m", Optional.of(" "), t, 1))
                .contains("API key is blank"));
        assertTrue(refusal(() -> new LlmSettings(null, "http://h:8000/v1", "m", t, 1)).contains(
                "provider must be set"));
    }

    @Test
    void theKeyComesFromTheEnvironmentAndIsNeverShown() {
        LlmSettings base = new LlmSettings(OPENAI, " http://vllm:8000/v1 ", "Qwen/Qwen2.5-7B-Instruct",
                Duration.ofSeconds(20), 512);
        assertEquals("http://vllm:8000/v1", base.baseUrl());
        LlmSettings keyed = base.withApiKeyFrom(Map.of("EDGEWEAVE_LLM_API_KEY", "sk-secret"), "EDGEWEAVE_LLM_API_KEY");
        assertEquals(Optional.of("sk-secret"), keyed.apiKey());
        assertFalse(keyed.toString().contains("sk-secret"), keyed.toString());
        assertTrue(keyed.toString().contains("apiKey=***"), keyed.toString());
        assertEquals(Optional.empty(), base.withApiKeyFrom(Map.of(), "EDGEWEAVE_LLM_API_KEY").apiKey());
        assertEquals(Optional.empty(), base.withApiKeyFrom(Map.of("EDGEWEAVE_LLM_API_KEY", ""),
                "EDGEWEAVE_LLM_API_KEY").apiKey());
    }

    @Test
    void theBrainDeadlineLeavesTheHttpTimeoutToStrikeFirst() {
        LlmSettings s = new LlmSettings(LlmSettings.Provider.OLLAMA, "http://localhost:11434", "qwen2.5:7b",
                Duration.ofSeconds(20), 512);
        assertEquals(new LlmBrainOptions(3, Duration.ofSeconds(21)), LlmBrainOptions.forSettings(s, 3));
        assertTrue(refusal(() -> new LlmBrainOptions(-1, Duration.ofSeconds(1))).contains("recall must be >= 0"));
    }
}
