package dev.edgeweave.testbed.scenario;

import java.util.Objects;

/**
 * One model's part of its class's arrivals.
 *
 * @param modelId a model id of the scenario's {@link Scenario#models()}
 * @param share   its share of the class's arrivals, in [0, 1]; a class's shares sum to 1
 * @param sizes   the distributions its prompts' sizes are drawn from (class defaults with its overrides);
 *                empty for chat, whose sizes come from the trace
 */
public record ModelShare(String modelId, double share, SizeSpec sizes) {

    public ModelShare {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(sizes, "sizes");
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share of " + modelId + " must be in [0, 1], was " + share);
        }
    }
}
