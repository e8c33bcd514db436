package dev.edgeweave.agents;

import dev.edgeweave.core.placement.OnNodePacker;
import java.util.Objects;

/** The deployment agent's decision: ordered loads, unloads and resizes, what waits for memory, and why. */
public record DeploymentDecision(OnNodePacker.Plan plan, String rationale) {
    public DeploymentDecision {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(rationale, "rationale");
    }
}
