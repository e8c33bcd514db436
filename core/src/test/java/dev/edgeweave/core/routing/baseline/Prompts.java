package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.model.BatchScaling;
import dev.edgeweave.core.model.DiffusionParams;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelLimits;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.TokenParams;
import dev.edgeweave.core.routing.RouteRequest;
import java.util.List;

/** Synthetic models and the route requests the router tests send. */
final class Prompts {

    /** A chat model whose default output is 100 tokens. */
    static final ModelSpec CHAT = chatModel("test-chat");
    /** A second chat model, to show per-model state. */
    static final ModelSpec OTHER_CHAT = chatModel("test-chat-2");
    /** An image model: its responses carry no token usage. */
    static final ModelSpec IMAGE = new ModelSpec("test-image", "Test image", ModelClass.IMAGE_GENERATION,
            6_000_000_000L, 10_000_000_000L, 15.0,
            new ModelLimits(77, 0, 0, 0, 0, 50, 1_000_000),
            new DiffusionParams(2.5e12, 5e12, 1_000_000, 10, 0.5, BatchScaling.NONE),
            List.of("synthetic"));

    private Prompts() {
    }

    /** A chat prompt of user {@code user}: 100 tokens in, 10 out. */
    static RouteRequest chat(String user) {
        return text(CHAT, user, 100, 10);
    }

    /** A prompt to {@code model} with {@code inputTokens} in and {@code outputTokens} out. */
    static RouteRequest text(ModelSpec model, String user, int inputTokens, int outputTokens) {
        return new RouteRequest("p-" + user, model, PromptSize.text(inputTokens, outputTokens), user, "ap1", 10.0, 1.0);
    }

    /** An image prompt: 20 text tokens, 20 steps, one megapixel. */
    static RouteRequest image(String user) {
        return new RouteRequest("img-" + user, IMAGE, new PromptSize(20, 0, 0, 0, 0, 20, 1_000_000, 80), user, "ap1",
                30.0, 1.0);
    }

    private static ModelSpec chatModel(String id) {
        return new ModelSpec(id, "Test chat " + id, ModelClass.CHAT, 5_000_000_000L, 8_000_000_000L, 20.0,
                new ModelLimits(8192, 0, 0, 0, 2048, 0, 0),
                new TokenParams(10e9, 0, 0.5, 0.5, 100, BatchScaling.NONE),
                List.of("synthetic"));
    }
}
