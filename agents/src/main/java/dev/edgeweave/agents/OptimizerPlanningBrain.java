package dev.edgeweave.agents;

import dev.edgeweave.core.fairness.FairnessController;
import dev.edgeweave.core.placement.LatencyPlanner;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.placement.PlacementPlanner;
import java.util.List;
import java.util.Objects;

/**
 * The long-term agent's optimizer brain: {@link LatencyPlanner} from the current placement, with each
 * model's priority taken from its class's routing weight (so the class routing favours also gets capacity),
 * under the planner's hysteresis and churn limit ({@link PlacementPlanner#DYNAMIC} by default).
 */
public final class OptimizerPlanningBrain implements LongTermPlanningAgent {

    private final PlacementPlanner.Options options;

    public OptimizerPlanningBrain(PlacementPlanner.Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public OptimizerPlanningBrain() {
        this(PlacementPlanner.DYNAMIC);
    }

    @Override
    public PlanningDecision decide(PlanningSituation s) {
        List<ModelDemand> demand = s.demand().stream()
                .map(d -> new ModelDemand(d.model(), d.rate(), d.typical(),
                        d.priority() * FairnessController.priority(s.weights(), d.model().modelClass())))
                .toList();
        Placement next = LatencyPlanner.plan(s.upServers(), demand, s.current(), options);
        int added = 0;
        int removed = 0;
        for (var e : next.byServer().entrySet()) {
            for (var d : e.getValue()) {
                if (!s.current().holds(e.getKey(), d.modelId())) {
                    added++;
                }
            }
        }
        for (var e : s.current().byServer().entrySet()) {
            for (var d : e.getValue()) {
                if (!next.holds(e.getKey(), d.modelId())) {
                    removed++;
                }
            }
        }
        return new PlanningDecision(next, String.format("%d deployments: %d to load, %d to unload (%d servers down)",
                next.size(), added, removed, s.down().size()));
    }
}
