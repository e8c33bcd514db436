package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.SplittableRandom;

/**
 * {@code random}: every candidate equally likely, the floor every load-aware policy has to beat.
 *
 * <p>Source: the uniform random choice that routers ship as their simplest policy (e.g. LiteLLM's default
 * {@code simple-shuffle} without weights, {@code litellm/router_strategy/simple_shuffle.py}). Nothing to adapt:
 * a candidate is a server that may take the prompt. Draws come from a {@link SplittableRandom} seeded at
 * construction, so a run is reproducible from its seed and the sequence of calls.
 */
public final class RandomRouter implements Router {

    public static final String NAME = "random";

    private final SplittableRandom random;

    public RandomRouter(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int choose(RouteRequest request, Candidates candidates) {
        int n = candidates.size();
        return n == 0 ? -1 : random.nextInt(n);
    }
}
