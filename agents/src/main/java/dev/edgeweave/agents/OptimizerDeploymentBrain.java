package dev.edgeweave.agents;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.placement.OnNodePacker;
import java.util.Objects;

/** The on-node deployment agent's optimizer brain: the {@link OnNodePacker}. */
public final class OptimizerDeploymentBrain implements OnNodeDeploymentAgent {

    private final ModelCatalog catalog;

    public OptimizerDeploymentBrain(ModelCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    @Override
    public DeploymentDecision decide(DeploymentSituation s) {
        OnNodePacker.Plan plan = OnNodePacker.plan(s.server(), catalog, s.current(), s.target());
        return new DeploymentDecision(plan, String.format("%d actions, %d deferred until memory frees",
                plan.actions().size(), plan.deferred().size()));
    }
}
