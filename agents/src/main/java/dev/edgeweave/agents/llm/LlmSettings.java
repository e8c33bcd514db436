package dev.edgeweave.agents.llm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which language model the LLM brains talk to, and how: the one configuration {@link ChatModels#create} builds a
 * {@code ChatModel} from. Temperature is not a setting: it is always 0, so the same situation gets the same
 * answer as far as the server allows.
 *
 * @param provider  the API spoken: any OpenAI-compatible server (vLLM, llama.cpp server, Ollama's {@code /v1},
 *                  a hosted API) or Ollama's own API
 * @param baseUrl   where the API lives: for {@link Provider#OPENAI_COMPATIBLE} the URL up to and including
 *                  {@code /v1} (requests go to {@code <baseUrl>/chat/completions}); for {@link Provider#OLLAMA}
 *                  the server's root, e.g. {@code http://localhost:11434} (requests go to {@code /api/chat})
 * @param modelName the model as the server names it, e.g. {@code Qwen/Qwen2.5-7B-Instruct} or {@code qwen2.5:7b}
 * @param apiKey    the bearer token for an OpenAI-compatible server; read it from the environment
 *                  ({@link #withApiKeyFrom}), never from a file. Empty for servers that want none (Ollama, a
 *                  local vLLM), in which case the OpenAI client sends {@code none}
 * @param timeout   how long one request may take before it fails as a timeout (and the optimizer decides)
 * @param maxTokens the most tokens an answer may have
 */
public record LlmSettings(Provider provider, String baseUrl, String modelName, Optional<String> apiKey,
                          Duration timeout, int maxTokens) {

    /** The API a model server speaks. */
    public enum Provider {
        /** {@code POST <baseUrl>/chat/completions} with a {@code json_schema} response format. */
        OPENAI_COMPATIBLE,
        /** {@code POST <baseUrl>/api/chat} with the JSON schema as {@code format}. */
        OLLAMA
    }

    public LlmSettings {
        Objects.requireNonNull(provider, "LLM provider must be set (OPENAI_COMPATIBLE or OLLAMA)");
        Objects.requireNonNull(baseUrl, "LLM base URL must be set");
        Objects.requireNonNull(modelName, "LLM model name must be set");
        Objects.requireNonNull(apiKey, "LLM API key must be an Optional (empty when the server wants none)");
        Objects.requireNonNull(timeout, "LLM timeout must be set");
        baseUrl = baseUrl.strip();
        modelName = modelName.strip();
        requireHttpUrl(baseUrl);
        if (modelName.isEmpty()) {
            throw new IllegalArgumentException("LLM model name must not be blank");
        }
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("LLM API key is blank; leave it empty when the server wants none");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("LLM timeout must be > 0, was " + timeout);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("LLM max tokens must be >= 1, was " + maxTokens);
        }
    }

    /** Settings without an API key. */
    public LlmSettings(Provider provider, String baseUrl, String modelName, Duration timeout, int maxTokens) {
        this(provider, baseUrl, modelName, Optional.empty(), timeout, maxTokens);
    }

    /**
     * A copy whose API key is the value of environment variable {@code variable} in {@code environment}
     * (pass {@code System.getenv()}); no key when the variable is unset or empty.
     */
    public LlmSettings withApiKeyFrom(Map<String, String> environment, String variable) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(variable, "variable");
        String value = environment.get(variable);
        Optional<String> key = value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        return new LlmSettings(provider, baseUrl, modelName, key, timeout, maxTokens);
    }

    /** Never shows the key, only whether there is one. */
    @Override
    public String toString() {
        return "LlmSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", modelName=" + modelName
                + ", apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", timeout=" + timeout
                + ", maxTokens=" + maxTokens + "]";
    }

    private static void requireHttpUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("LLM base URL '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("LLM base URL '" + url
                    + "' must start with http:// or https://, e.g. http://localhost:8000/v1");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("LLM base URL '" + url + "' has no host");
        }
    }
}
