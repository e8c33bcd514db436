package dev.edgeweave.agents;

import dev.edgeweave.agents.llm.LlmSettings;
import dev.edgeweave.config.SettingKey;
import dev.edgeweave.config.Settings;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which brain each agent runs, and the language model behind the LLM brains: the same keys in every component
 * that runs agents (planner, connector, testbed), read through the shared loader. The keys are the
 * {@code agents.*} namespace, so their environment variables are {@code EDGEWEAVE_AGENTS_*}, e.g.
 * {@code EDGEWEAVE_AGENTS_SCHEDULING_BRAIN=llm}. The API key is a secret: only from the environment,
 * {@code EDGEWEAVE_AGENTS_LLM_APIKEY}, never in a file, never in this record (it is read where the model is
 * built).
 *
 * @param scheduling the short-term scheduling agent's brain
 * @param planning   the long-term planning agent's brain
 * @param deployment the on-node deployment agents' brain
 * @param provider   {@code openai} (any OpenAI-compatible server: vLLM, llama.cpp server, Ollama's /v1) or
 *                   {@code ollama} (Ollama's own API)
 * @param baseUrl    the model server, e.g. {@code http://localhost:11434/v1}; required when a brain is llm
 * @param model      the model's name on that server, e.g. {@code llama3.1:8b}
 * @param timeoutMillis wall time one model call may take
 * @param maxTokens  most tokens one answer may take
 * @param recall     past situations recalled into each prompt
 * @param memoryDir  where the experience memory lives; empty: no memory (no recall)
 */
public record AgentsConfig(Brain scheduling, Brain planning, Brain deployment, String provider, String baseUrl,
                           String model, long timeoutMillis, int maxTokens, int recall, String memoryDir)
        implements Serializable {

    public static final String SCHEDULING_BRAIN = "agents.scheduling.brain";
    public static final String PLANNING_BRAIN = "agents.planning.brain";
    public static final String DEPLOYMENT_BRAIN = "agents.deployment.brain";
    public static final String LLM_PROVIDER = "agents.llm.provider";
    public static final String LLM_BASE_URL = "agents.llm.base.url";
    public static final String LLM_MODEL = "agents.llm.model";
    public static final String LLM_TIMEOUT = "agents.llm.timeout";
    public static final String LLM_MAX_TOKENS = "agents.llm.max.tokens";
    public static final String RECALL = "agents.memory.recall";
    public static final String MEMORY_DIR = "agents.memory.dir";

    public static final List<SettingKey> KEYS = List.of(
            new SettingKey(SCHEDULING_BRAIN, "optimizer", "the short-term scheduling agent's brain: optimizer or llm"),
            new SettingKey(PLANNING_BRAIN, "optimizer", "the long-term planning agent's brain: optimizer or llm"),
            new SettingKey(DEPLOYMENT_BRAIN, "optimizer", "the on-node deployment agents' brain: optimizer or llm"),
            new SettingKey(LLM_PROVIDER, "openai", "openai (any OpenAI-compatible server: vLLM, llama.cpp server, "
                    + "Ollama's /v1) or ollama (Ollama's own API)"),
            new SettingKey(LLM_BASE_URL, "", "the model server for llm brains, e.g. http://localhost:11434/v1; the "
                    + "API key, if it wants one, only from EDGEWEAVE_AGENTS_LLM_APIKEY"),
            new SettingKey(LLM_MODEL, "", "the model's name on that server, e.g. llama3.1:8b"),
            new SettingKey(LLM_TIMEOUT, "30s", "wall time one model call may take; past it the optimizer decides"),
            new SettingKey(LLM_MAX_TOKENS, "1024", "most tokens one answer may take"),
            new SettingKey(RECALL, "3", "past situations (with their decision and measured outcome) recalled into "
                    + "each prompt"),
            new SettingKey(MEMORY_DIR, "", "directory of the experience memory (persisted, bounded); empty: no "
                    + "memory"));

    public static final Map<String, String> DEFAULTS = SettingKey.defaults(KEYS);

    /** Optimizer brains everywhere, no memory: what runs when nothing is configured. */
    public static final AgentsConfig OPTIMIZERS = new AgentsConfig(Brain.OPTIMIZER, Brain.OPTIMIZER, Brain.OPTIMIZER,
            "openai", "", "", 30_000, 1024, 3, "");

    public AgentsConfig {
        if (anyLlm(scheduling, planning, deployment)) {
            // Checked here too, so a config built in code fails as early as one read from settings.
            new LlmSettings(provider(provider), baseUrl, model, Duration.ofMillis(timeoutMillis), maxTokens);
        }
        if (recall < 0) {
            throw new IllegalArgumentException("recall must be >= 0, was " + recall);
        }
    }

    /** Every agent on the LLM brain of {@code baseUrl} and {@code model} (the testbed's --llm-* options). */
    public static AgentsConfig allLlm(String provider, String baseUrl, String model) {
        if (!"openai".equals(provider) && !"ollama".equals(provider)) {
            throw new IllegalArgumentException("the LLM provider must be openai or ollama, was " + provider);
        }
        return new AgentsConfig(Brain.LLM, Brain.LLM, Brain.LLM, provider, baseUrl, model, 30_000, 1024, 3, "");
    }

    /** Reads and checks every key; errors name the key, the value and its source. */
    public static AgentsConfig from(Settings s) {
        Brain scheduling = brain(s, SCHEDULING_BRAIN);
        Brain planning = brain(s, PLANNING_BRAIN);
        Brain deployment = brain(s, DEPLOYMENT_BRAIN);
        String provider = s.string(LLM_PROVIDER).toLowerCase(Locale.ROOT);
        if (!provider.equals("openai") && !provider.equals("ollama")) {
            throw s.invalid(LLM_PROVIDER, "is neither openai nor ollama");
        }
        boolean llm = anyLlm(scheduling, planning, deployment);
        if (llm && s.string(LLM_BASE_URL).isEmpty()) {
            throw s.invalid(LLM_BASE_URL, "is empty, but an agent's brain is llm: name the model server");
        }
        if (llm && s.string(LLM_MODEL).isEmpty()) {
            throw s.invalid(LLM_MODEL, "is empty, but an agent's brain is llm: name the model");
        }
        try {
            return new AgentsConfig(scheduling, planning, deployment, provider, s.string(LLM_BASE_URL),
                    s.string(LLM_MODEL), s.positiveDuration(LLM_TIMEOUT).toMillis(), s.integer(LLM_MAX_TOKENS, 1, 1_000_000),
                    s.integer(RECALL, 0, 100), s.string(MEMORY_DIR));
        } catch (IllegalArgumentException e) {
            throw s.invalid(LLM_BASE_URL, e.getMessage());
        }
    }

    /** Whether any agent runs the LLM brain. */
    public boolean anyLlm() {
        return anyLlm(scheduling, planning, deployment);
    }

    /** The language model's settings, with the API key from {@code environment} ({@code EDGEWEAVE_AGENTS_LLM_APIKEY}). */
    public LlmSettings llm(Map<String, String> environment) {
        return new LlmSettings(provider(provider), baseUrl, model, Duration.ofMillis(timeoutMillis), maxTokens)
                .withApiKeyFrom(environment, "EDGEWEAVE_AGENTS_LLM_APIKEY");
    }

    /**
     * These settings with the memory in {@code name} under the configured directory: each agent of a JVM its own
     * (one memory per directory; the planner's two agents run in one JVM).
     */
    public AgentsConfig withMemoryIn(String name) {
        return memoryDir.isBlank() ? this : new AgentsConfig(scheduling, planning, deployment, provider, baseUrl, model,
                timeoutMillis, maxTokens, recall, java.nio.file.Path.of(memoryDir, name).toString());
    }

    public Optional<String> memoryDirectory() {
        return memoryDir.isBlank() ? Optional.empty() : Optional.of(memoryDir);
    }

    private static boolean anyLlm(Brain... brains) {
        for (Brain b : brains) {
            if (b == Brain.LLM) {
                return true;
            }
        }
        return false;
    }

    private static LlmSettings.Provider provider(String p) {
        return p.equals("ollama") ? LlmSettings.Provider.OLLAMA : LlmSettings.Provider.OPENAI_COMPATIBLE;
    }

    private static Brain brain(Settings s, String key) {
        return switch (s.string(key).toLowerCase(Locale.ROOT)) {
            case "optimizer" -> Brain.OPTIMIZER;
            case "llm" -> Brain.LLM;
            default -> throw s.invalid(key, "is neither optimizer nor llm");
        };
    }
}
