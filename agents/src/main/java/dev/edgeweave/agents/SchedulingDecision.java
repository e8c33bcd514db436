package dev.edgeweave.agents;

import dev.edgeweave.core.routing.RoutingWeights;
import java.util.Objects;

/** The short-term agent's decision: the routing weights to apply from now, and why. */
public record SchedulingDecision(RoutingWeights weights, String rationale) {
    public SchedulingDecision {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(rationale, "rationale");
    }
}
