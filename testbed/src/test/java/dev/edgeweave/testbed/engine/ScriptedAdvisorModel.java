package dev.edgeweave.testbed.engine;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted {@link ChatModel} standing in for a language model, which no machine running these tests can reach:
 * it tells the three agents apart by their system message and answers each with a fixed, well-formed decision
 * (keep the class weights; an empty placement, which the guard refuses as too much churn, so the optimizer's
 * plan stands; no on-node action). It records every prompt it was sent, so a test can check what the agents saw.
 */
final class ScriptedAdvisorModel implements ChatModel {

    static final String SCHEDULING = "{\"weights\": [], \"rationale\": \"the classes are served alike: keep the weights\"}";
    static final String PLANNING = "{\"deployments\": [], \"rationale\": \"an empty plan\"}";
    static final String DEPLOYMENT = "{\"actions\": [], \"deferred\": [], \"rationale\": \"nothing to change\"}";

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> prompts = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public ChatResponse doChat(ChatRequest request) {
        String system = "";
        for (ChatMessage m : request.messages()) {
            if (m instanceof SystemMessage s) {
                system = s.text();
            } else if (m instanceof UserMessage u) {
                prompts.add(u.singleText());
            }
        }
        prompts.add(system);
        String agent = system.contains("short-term") ? "scheduling" : system.contains("long-term planning")
                ? "planning" : system.contains("on-node deployment") ? "deployment" : "unknown";
        calls.computeIfAbsent(agent, k -> new AtomicInteger()).incrementAndGet();
        String answer = switch (agent) {
            case "scheduling" -> SCHEDULING;
            case "planning" -> PLANNING;
            case "deployment" -> DEPLOYMENT;
            default -> throw new IllegalStateException("a prompt from no known agent: " + system);
        };
        return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(RESPONSE_FORMAT_JSON_SCHEMA);
    }

    int calls(String agent) {
        AtomicInteger n = calls.get(agent);
        return n == null ? 0 : n.get();
    }

    List<String> prompts() {
        synchronized (prompts) {
            return List.copyOf(prompts);
        }
    }
}
