package dev.edgeweave.agents;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.List;
import java.util.Set;

/**
 * What the long-term planning agent reasons over, every long window: demand per model, the servers and which
 * are down, what each holds now, and the routing weights (whose inverse is each class's placement priority).
 *
 * @param now     city seconds
 * @param servers every server of the city
 * @param down    ids of servers that are down: they hold nothing and get nothing
 * @param demand  per model, its arrival rate and typical prompt over the window
 * @param current the placement in force
 * @param weights the routing weights in force
 */
public record PlanningSituation(double now, List<EdgeServer> servers, Set<String> down, List<ModelDemand> demand,
                                Placement current, RoutingWeights weights) {
    public PlanningSituation {
        servers = List.copyOf(servers);
        down = Set.copyOf(down);
        demand = List.copyOf(demand);
    }

    /** The servers that are up. */
    public List<EdgeServer> upServers() {
        return servers.stream().filter(s -> !down.contains(s.id())).toList();
    }
}
