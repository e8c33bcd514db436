package dev.edgeweave.core.routing;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;

/**
 * What a router knows of a prompt: its model, sizes, user and access point — never its content.
 *
 * @param promptId       the prompt's id (for tie-breaking and logs only)
 * @param model          the catalog model it asks for
 * @param size           its sizes
 * @param userId         its user, for per-user fair routing
 * @param accessPointId  where it entered the network
 * @param sloSeconds     its latency objective
 * @param referenceInferenceSeconds its inference time alone on the reference GPU (slowdown denominator)
 */
public record RouteRequest(String promptId, ModelSpec model, PromptSize size, String userId, String accessPointId,
                           double sloSeconds, double referenceInferenceSeconds) {

    public ModelClass modelClass() {
        return model.modelClass();
    }

    /** Tokens the prompt will cost its user for token-share fairness: input plus output tokens. */
    public long tokens() {
        return (long) size.inputTokens() + size.outputTokens();
    }
}
