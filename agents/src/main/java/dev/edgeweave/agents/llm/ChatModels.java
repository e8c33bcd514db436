package dev.edgeweave.agents.llm;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Objects;

/**
 * The one place chat models are built, from {@link LlmSettings}. Both kinds answer at temperature 0, at most
 * {@code maxTokens} tokens, within {@code timeout}, and declare structured output, so {@code AiServices} sends
 * the answer record's JSON schema with every request (OpenAI-compatible: {@code response_format} of type
 * {@code json_schema}, strict; Ollama: {@code format}) and the server constrains the answer to it.
 *
 * <p>No retries: the timeout is the whole budget of a decision, and the optimizer is the retry (a failed
 * call falls back to it, and the next window asks again).
 */
public final class ChatModels {

    /** What the OpenAI client sends as bearer token when the server wants none (vLLM, llama.cpp, Ollama). */
    public static final String NO_API_KEY = "none";

    private ChatModels() {
    }

    /** A chat model for {@code settings}; no request is made until it is asked something. */
    public static ChatModel create(LlmSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return switch (settings.provider()) {
            case OPENAI_COMPATIBLE -> OpenAiChatModel.builder()
                    .baseUrl(settings.baseUrl())
                    .apiKey(settings.apiKey().orElse(NO_API_KEY))
                    .modelName(settings.modelName())
                    .temperature(0.0)
                    .maxTokens(settings.maxTokens())
                    .timeout(settings.timeout())
                    .maxRetries(0)
                    .supportedCapabilities(RESPONSE_FORMAT_JSON_SCHEMA)
                    .strictJsonSchema(true)
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .baseUrl(settings.baseUrl())
                    .modelName(settings.modelName())
                    .temperature(0.0)
                    .numPredict(settings.maxTokens())
                    .timeout(settings.timeout())
                    .maxRetries(0)
                    .supportedCapabilities(RESPONSE_FORMAT_JSON_SCHEMA)
                    .build();
        };
    }
}
