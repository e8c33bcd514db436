package dev.edgeweave.core.routing;

import dev.edgeweave.core.model.ModelClass;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The routing policy as the router applies it (the core form of the {@code RoutingPolicy} record): a weight
 * per class, servers to avoid, and queue caps per server.
 *
 * <p><b>What a weight means.</b> How much a class's waiting counts. The router prices the queueing delay a
 * prompt would meet at a server by its class's weight: above 1 (a class served worse than the others) its
 * prompts leave a queue for an idle server sooner; below 1 a class accepts waiting at a fast server. Network,
 * load and inference terms are never weighted, so a weight changes where a prompt goes only when servers are
 * busy — which is exactly when fairness is decided. The long-term agent reads the same weight as the class's
 * placement priority and share of shared GPUs.
 *
 * @param classWeights weight per class, each in [{@link #MIN_WEIGHT}, {@link #MAX_WEIGHT}]; missing = 1
 * @param excluded     servers sent nothing new
 * @param maxQueued    per-server cap on queued prompts of the routed model; missing = no cap
 */
public record RoutingWeights(Map<ModelClass, Double> classWeights, Set<String> excluded,
                             Map<String, Integer> maxQueued) {

    public static final double MIN_WEIGHT = 0.1;
    public static final double MAX_WEIGHT = 10.0;

    /** Every weight 1, nothing excluded, no cap: what the router uses when no policy has been issued. */
    public static final RoutingWeights NEUTRAL = new RoutingWeights(Map.of(), Set.of(), Map.of());

    public RoutingWeights {
        Objects.requireNonNull(classWeights, "classWeights");
        classWeights.forEach((c, w) -> {
            if (!(w >= MIN_WEIGHT && w <= MAX_WEIGHT)) {
                throw new IllegalArgumentException("weight of " + c + " must be in [" + MIN_WEIGHT + ", "
                        + MAX_WEIGHT + "], was " + w);
            }
        });
        maxQueued.forEach((s, q) -> {
            if (q == null || q < 0) {
                throw new IllegalArgumentException("queue cap of " + s + " must be >= 0, was " + q);
            }
        });
        // An unmodifiable EnumMap keeps the classes in their declared order (Map.copyOf would not).
        classWeights = classWeights.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(classWeights));
        excluded = Set.copyOf(excluded);
        maxQueued = Map.copyOf(maxQueued);
    }

    /** The weight of {@code c}, 1 when unset. */
    public double weight(ModelClass c) {
        return classWeights.getOrDefault(c, 1.0);
    }

    /** A copy with new class weights. */
    public RoutingWeights withClassWeights(Map<ModelClass, Double> weights) {
        return new RoutingWeights(weights, excluded, maxQueued);
    }
}
