package dev.edgeweave.testbed.engine;

import dev.edgeweave.core.routing.Router;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.function.Supplier;

/**
 * One row of the evaluation: a router and how servers come to hold models.
 *
 * @param name      the row's name, e.g. {@code round-robin/static} or {@code edgeweave}
 * @param router    builds the router for a run, given its seed and the live routing weights
 * @param placement how models are placed
 * @param fairness  whether the short-term agent re-weights classes (edgeweave rows only)
 * @param coldStart whether the router is offered servers that would have to load the model first
 */
public record PolicySpec(String name, RouterFactory router, PlacementMode placement, boolean fairness,
                         boolean coldStart) {

    /** Builds a run's router. */
    @FunctionalInterface
    public interface RouterFactory {
        Router create(long seed, Supplier<RoutingWeights> weights);
    }
}
