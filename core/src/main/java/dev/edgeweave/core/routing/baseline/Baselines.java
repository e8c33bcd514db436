package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Router;
import java.util.List;
import java.util.Objects;

/**
 * The peer baseline routing policies by name (DESIGN "Evaluation", Baselines): each faithful to its public
 * description, each the best honest version of itself. Every router is a fresh instance with its own state;
 * those that draw random numbers draw them from {@code seed}.
 */
public final class Baselines {

    private static final List<String> NAMES = List.of(
            RandomRouter.NAME,
            RoundRobinRouter.NAME,
            LeastBusyRouter.NAME,
            LatencyBasedRouter.NAME,
            PowerOfTwoRouter.NAME,
            LlmdScorerRouter.NAME,
            VtcRouter.NAME,
            NearestRouter.NAME);

    private Baselines() {
    }

    /** The baseline names, in the order the evaluation reports them. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new router for the policy {@code name} with its upstream defaults.
     *
     * @throws IllegalArgumentException naming the unknown policy and listing the known ones
     */
    public static Router create(String name, long seed) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case RandomRouter.NAME -> new RandomRouter(seed);
            case RoundRobinRouter.NAME -> new RoundRobinRouter();
            case LeastBusyRouter.NAME -> new LeastBusyRouter();
            case LatencyBasedRouter.NAME -> new LatencyBasedRouter(seed);
            case PowerOfTwoRouter.NAME -> new PowerOfTwoRouter(seed);
            case LlmdScorerRouter.NAME -> new LlmdScorerRouter(seed);
            case VtcRouter.NAME -> new VtcRouter(seed);
            case NearestRouter.NAME -> new NearestRouter();
            default -> throw new IllegalArgumentException(
                    "unknown routing policy '" + name + "'; known policies: " + String.join(", ", NAMES));
        };
    }
}
