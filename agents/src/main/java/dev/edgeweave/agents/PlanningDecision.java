package dev.edgeweave.agents;

import dev.edgeweave.core.placement.Placement;
import java.util.Objects;

/** The long-term agent's decision: the placement to converge to, and why. */
public record PlanningDecision(Placement placement, String rationale) {
    public PlanningDecision {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(rationale, "rationale");
    }
}
