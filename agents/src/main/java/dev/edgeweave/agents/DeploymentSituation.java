package dev.edgeweave.agents;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import java.util.List;

/**
 * What one server's deployment agent reasons over: the server, what it holds now (with queues), and its part
 * of the plan.
 */
public record DeploymentSituation(EdgeServer server, List<OnNodePacker.Current> current, List<Deployment> target) {
    public DeploymentSituation {
        current = List.copyOf(current);
        target = List.copyOf(target);
    }
}
