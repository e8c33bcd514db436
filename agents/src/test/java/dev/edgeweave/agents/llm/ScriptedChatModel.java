package dev.edgeweave.agents.llm;

import static dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link ChatModel} that answers from a script, in langchain4j's {@code ChatModelMock} style: no language
 * model is reachable from the machines that run these tests, so recorded answers (test resources under
 * {@code llm/}) stand in for one. It records every request it gets and, like the models {@link ChatModels}
 * builds, declares JSON-schema structured output, so {@code AiServices} sends the answer's schema.
 */
final class ScriptedChatModel implements ChatModel {

    /** One scripted reply. */
    interface Step {
        ChatResponse reply(ChatRequest request) throws InterruptedException;
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final List<ChatRequest> requests = new ArrayList<>();

    ScriptedChatModel(Step... script) {
        steps.addAll(List.of(script));
    }

    /** A reply with the text of test resource {@code llm/<name>}. */
    static Step answer(String resource) {
        String text = resource(resource);
        return request -> ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
    }

    /** A reply that is {@code text}. */
    static Step text(String text) {
        return request -> ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
    }

    /** A reply that throws {@code e}, as a model client does on an error. */
    static Step failure(RuntimeException e) {
        return request -> {
            throw e;
        };
    }

    /** A reply that never comes: blocks until the caller gives up and interrupts it. */
    static Step hang() {
        return request -> {
            new CountDownLatch(1).await();
            throw new AssertionError("unreachable");
        };
    }

    /** The text of test resource {@code llm/<name>}. */
    static String resource(String name) {
        try (InputStream in = ScriptedChatModel.class.getResourceAsStream("/llm/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource llm/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        Step step;
        synchronized (this) {
            requests.add(request);
            step = steps.poll();
        }
        if (step == null) {
            throw new IllegalStateException("the script has no reply left for request " + requests.size());
        }
        try {
            return step.reply(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scripted to hang", e);
        }
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(RESPONSE_FORMAT_JSON_SCHEMA);
    }

    /** Every request received, in order. */
    synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** The single request received. */
    synchronized ChatRequest onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return requests.get(0);
    }
}
