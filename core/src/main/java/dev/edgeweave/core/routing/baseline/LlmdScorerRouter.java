package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.SplittableRandom;

/**
 * {@code llm-d-scorer}: the llm-d inference scheduler's endpoint picker (EPP) with its default scoring profile.
 *
 * <p>Sources: the default EPP configuration of llm-d's inference-scheduling guide and of the InferencePool
 * chart's {@code default-plugins.yaml} (llm-d/llm-d
 * {@code guides/inference-scheduling/scheduler/inference-scheduling.values.yaml}):
 * profile {@code default} with {@code queue-scorer} weight 2, {@code kv-cache-utilization-scorer} weight 2,
 * {@code prefix-cache-scorer} weight 3 and the {@code max-score-picker}. The scorers, as in
 * kubernetes-sigs/gateway-api-inference-extension {@code pkg/epp/scheduling/framework/plugins/scorer/}
 * ({@code QueueScorer}, {@code KVCacheScorer}; the same code now in llm-d/llm-d-router):
 * <ul>
 *   <li>queue: {@code (maxQ − q) / (maxQ − minQ)} over the candidates' waiting queues, 1 for all when they are
 *       equal;</li>
 *   <li>KV-cache utilisation: {@code 1 − usage};</li>
 *   <li>total: the weighted sum; the picker takes the highest, a tie broken uniformly at random (it shuffles, then
 *       sorts stably by score).</li>
 * </ul>
 *
 * <p>Adapted to edgeweave: an endpoint is a candidate server's deployment of the prompt's model; its waiting
 * queue is {@link Candidates#queued} (vLLM's {@code num_requests_waiting}); KV-cache usage becomes the server's
 * {@link Candidates#memoryUtilisation} (DESIGN: "queue depth + memory utilisation"), since the emulated server
 * reserves a deployment's KV cache with its memory rather than tracking its fill, so the signal reflects what is
 * loaded on the server more than what is in flight. The prefix-cache scorer is left out: routing sees sizes, never
 * content, so it would score every endpoint 0 and, weighted, add the same constant to each: the choice is
 * unchanged. Ties are broken at random as upstream (seeded), not by index, which would pile every tie on the
 * lowest-indexed server.
 */
public final class LlmdScorerRouter implements Router {

    public static final String NAME = "llm-d-scorer";

    /** {@code queue-scorer} weight in the default profile. */
    public static final double QUEUE_SCORER_WEIGHT = 2.0;
    /** {@code kv-cache-utilization-scorer} weight in the default profile. */
    public static final double KV_CACHE_UTILIZATION_SCORER_WEIGHT = 2.0;

    private final SplittableRandom random;

    public LlmdScorerRouter(long seed) {
        this.random = new SplittableRandom(seed);
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
        int minQueue = Integer.MAX_VALUE;
        int maxQueue = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int q = candidates.queued(i);
            minQueue = Math.min(minQueue, q);
            maxQueue = Math.max(maxQueue, q);
        }
        int chosen = -1;
        double best = Double.NEGATIVE_INFINITY;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            double score = QUEUE_SCORER_WEIGHT * queueScore(candidates.queued(i), minQueue, maxQueue)
                    + KV_CACHE_UTILIZATION_SCORER_WEIGHT * (1.0 - candidates.memoryUtilisation(i));
            if (score > best) {
                best = score;
                chosen = i;
                ties = 1;
            } else if (score == best) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    chosen = i;
                }
            }
        }
        return chosen;
    }

    /** The queue scorer: the shortest waiting queue 1, the longest 0, all 1 when they are equal. */
    static double queueScore(int queue, int minQueue, int maxQueue) {
        return maxQueue == minQueue ? 1.0 : (double) (maxQueue - queue) / (maxQueue - minQueue);
    }
}
