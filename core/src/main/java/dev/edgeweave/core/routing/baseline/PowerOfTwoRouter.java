package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.SplittableRandom;

/**
 * {@code power-of-two}: Ray Serve's default request router, power of two choices.
 *
 * <p>Source: ray-project/ray, {@code python/ray/serve/_private/request_router/pow_2_router.py}
 * ({@code PowerOfTwoChoicesRequestRouter.choose_replicas}) and {@code request_router.py}
 * ({@code _select_from_candidate_replicas}, {@code _choose_replicas_with_backoff}). Faithful details:
 * <ul>
 *   <li>two distinct replicas are drawn uniformly ({@code i = randrange(n)}, {@code j = randrange(n-1)},
 *       shifted past {@code i}); with two replicas their order is a coin flip; with one, it alone;</li>
 *   <li>a replica's queue length is its number of ongoing requests, those it holds waiting or executing: here
 *       {@link Candidates#queued} + {@link Candidates#running} of the prompt's model;</li>
 *   <li>only a replica below {@code max_ongoing_requests} accepts; of the accepting ones the shorter queue wins,
 *       a tie going to the first drawn;</li>
 *   <li>when neither accepts, Ray draws a new pair (after a back-off) until one does. The view here is a
 *       snapshot, so the back-off is dropped and pairs are redrawn at once, which ends as soon as a pair holds an
 *       accepting replica; when no candidate accepts at all, Ray would hold the request at its handle, and this
 *       router returns -1 ("all capped") for the caller to hold or reject.</li>
 * </ul>
 * {@code max_ongoing_requests} defaults to Ray Serve LLM's {@code DEFAULT_MAX_ONGOING_REQUESTS} = 1e9
 * ({@code ray/llm/_internal/serve/constants.py}): for LLM deployments the cap does not bind and the engine's own
 * queue absorbs load. Plain Ray Serve deployments default to 5; pass a cap to model that.
 *
 * <p>Adapted to edgeweave: a replica is a candidate server's deployment of the prompt's model. Queue lengths are
 * read from the candidates view, which plays the part of Ray's probe; Ray's local queue-length cache (bumped on
 * send, expiring after seconds) only saves those probes. Not included: locality preference (same node, then
 * same availability zone, as the calling handle), because edgeweave's router is not co-located with any edge
 * server, so there is no node or zone to prefer, and preferring the nearest server is the {@code nearest}
 * baseline's policy, not Ray's; multiplexed-model and session affinity, which this workload does not use.
 */
public final class PowerOfTwoRouter implements Router {

    public static final String NAME = "power-of-two";

    /** Ray Serve LLM's default {@code max_ongoing_requests} (1e9): effectively no cap. */
    public static final int RAY_SERVE_LLM_MAX_ONGOING_REQUESTS = 1_000_000_000;

    private final SplittableRandom random;
    private final int maxOngoingRequests;

    /** Ray Serve LLM's default cap: effectively none. */
    public PowerOfTwoRouter(long seed) {
        this(seed, RAY_SERVE_LLM_MAX_ONGOING_REQUESTS);
    }

    /** @param maxOngoingRequests a replica accepts only while it holds fewer ongoing requests than this */
    public PowerOfTwoRouter(long seed, int maxOngoingRequests) {
        if (maxOngoingRequests < 1) {
            throw new IllegalArgumentException("maxOngoingRequests must be >= 1, was " + maxOngoingRequests);
        }
        this.random = new SplittableRandom(seed);
        this.maxOngoingRequests = maxOngoingRequests;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int choose(RouteRequest request, Candidates candidates) {
        int n = candidates.size();
        if (n == 0) {
            return -1;
        }
        if (n == 1) {
            return accepts(candidates, 0) ? 0 : -1;
        }
        if (!anyAccepts(candidates, n)) {
            return -1;
        }
        // Terminates: some candidate accepts, and every draw holds it with probability >= 2/n.
        while (true) {
            int first;
            int second;
            if (n == 2) {
                first = random.nextBoolean() ? 0 : 1;
                second = 1 - first;
            } else {
                first = random.nextInt(n);
                second = random.nextInt(n - 1);
                if (second >= first) {
                    second++;
                }
            }
            int chosen = -1;
            long shortest = Long.MAX_VALUE;
            if (accepts(candidates, first)) {
                chosen = first;
                shortest = ongoing(candidates, first);
            }
            if (accepts(candidates, second) && ongoing(candidates, second) < shortest) {
                chosen = second;
            }
            if (chosen >= 0) {
                return chosen;
            }
        }
    }

    private boolean anyAccepts(Candidates candidates, int n) {
        for (int i = 0; i < n; i++) {
            if (accepts(candidates, i)) {
                return true;
            }
        }
        return false;
    }

    private boolean accepts(Candidates candidates, int i) {
        return ongoing(candidates, i) < maxOngoingRequests;
    }

    private static long ongoing(Candidates candidates, int i) {
        return (long) candidates.queued(i) + candidates.running(i);
    }
}
