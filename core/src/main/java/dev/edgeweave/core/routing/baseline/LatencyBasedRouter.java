package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code latency-based}: LiteLLM router's {@code latency-based-routing} strategy.
 *
 * <p>Source: BerriAI/litellm, {@code litellm/router_strategy/lowest_latency.py}
 * ({@code LowestLatencyLoggingHandler}, {@code RoutingArgs}); the list trim as fixed by PR #25548 (drop the
 * oldest value), the buffer as added by PR #3370. What it does, and what this class does:
 * <ul>
 *   <li>on each <b>success</b>, the response time divided by the response's {@code usage.completion_tokens}
 *       (seconds per output token; raw seconds when the response has no token usage) is appended to the
 *       deployment's list, which keeps the last {@code max_latency_list_size} = 10 values;</li>
 *   <li>a deployment with no list yet gets latency 0, so untried deployments are tried first;</li>
 *   <li>the score is the plain mean of the list; deployments within {@code lowest_latency_buffer} × lowest of the
 *       lowest mean (default buffer 0: exactly the lowest) are eligible, and one of them is drawn uniformly at
 *       random (upstream shuffles, then {@code random.choice});</li>
 *   <li>the model group's map lives in a cache entry with {@code ttl} = 1 h, refreshed by every success: after an
 *       hour without one the group starts over, every deployment untried.</li>
 * </ul>
 *
 * <p>Adapted to edgeweave: a model group is a model id and a deployment a server's deployment of it. The
 * response time is the attempt's end-to-end latency from {@link #onFinished}; edgeweave reports no time to first
 * token, so the non-streaming path applies. Completion tokens are the prompt's output tokens (requested, or the
 * model's default) for chat and vision-language models, whose OpenAI responses carry {@code usage}; image and
 * speech responses carry none, so their latencies stay in seconds, as upstream. An attempt that did not
 * complete adds nothing: upstream only a {@code litellm.Timeout} adds a 1000 s penalty and edgeweave's router
 * sees no client timeouts. Omitted as not applicable: the per-deployment tpm/rpm limits (none configured) and an
 * incidental effect of upstream's in-memory cache, whose placeholder {@code [0]} for an untried deployment can
 * linger in its list and halve its first mean. The TTL clock is the latest {@code now} seen by the callbacks,
 * since {@link #choose} receives no time.
 */
public final class LatencyBasedRouter implements Router {

    public static final String NAME = "latency-based";

    /** LiteLLM's {@code RoutingArgs.max_latency_list_size}. */
    public static final int DEFAULT_MAX_LATENCY_LIST_SIZE = 10;
    /** LiteLLM's {@code RoutingArgs.lowest_latency_buffer}. */
    public static final double DEFAULT_LOWEST_LATENCY_BUFFER = 0.0;
    /** LiteLLM's {@code RoutingArgs.ttl}: one hour. */
    public static final double DEFAULT_TTL_SECONDS = 3600.0;

    private final SplittableRandom random;
    private final double lowestLatencyBuffer;
    private final int maxLatencyListSize;
    private final double ttlSeconds;

    private final Map<String, ModelLatencies> byModel = new HashMap<>();
    private double latestNow = Double.NEGATIVE_INFINITY;
    private double[] means = new double[16];

    /** LiteLLM's defaults: buffer 0, 10 values per deployment, 1 h TTL. */
    public LatencyBasedRouter(long seed) {
        this(seed, DEFAULT_LOWEST_LATENCY_BUFFER, DEFAULT_MAX_LATENCY_LIST_SIZE, DEFAULT_TTL_SECONDS);
    }

    /**
     * @param lowestLatencyBuffer deployments whose mean is at most {@code lowest·(1 + buffer)} are eligible
     * @param maxLatencyListSize  values kept per deployment
     * @param ttlSeconds          a model's observations are forgotten after this long without a success
     */
    public LatencyBasedRouter(long seed, double lowestLatencyBuffer, int maxLatencyListSize, double ttlSeconds) {
        if (!(lowestLatencyBuffer >= 0) || Double.isInfinite(lowestLatencyBuffer)) {
            throw new IllegalArgumentException(
                    "lowestLatencyBuffer must be finite and >= 0, was " + lowestLatencyBuffer);
        }
        if (maxLatencyListSize < 1) {
            throw new IllegalArgumentException("maxLatencyListSize must be >= 1, was " + maxLatencyListSize);
        }
        if (!(ttlSeconds > 0)) {
            throw new IllegalArgumentException("ttlSeconds must be > 0, was " + ttlSeconds);
        }
        this.random = new SplittableRandom(seed);
        this.lowestLatencyBuffer = lowestLatencyBuffer;
        this.maxLatencyListSize = maxLatencyListSize;
        this.ttlSeconds = ttlSeconds;
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
        ModelLatencies latencies = byModel.get(request.model().id());
        if (latencies != null && latestNow - latencies.lastWrite > ttlSeconds) {
            latencies.clear();
        }
        if (means.length < n) {
            means = new double[Math.max(n, 2 * means.length)];
        }
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double mean = latencies == null ? 0.0 : latencies.mean(candidates.serverIndex(i));
            means[i] = mean;
            lowest = Math.min(lowest, mean);
        }
        double threshold = lowest + lowestLatencyBuffer * lowest;
        // A uniform draw among the eligible, one pass, no list: reservoir sampling of size 1.
        int chosen = -1;
        int eligible = 0;
        for (int i = 0; i < n; i++) {
            if (means[i] <= threshold) {
                eligible++;
                if (random.nextInt(eligible) == 0) {
                    chosen = i;
                }
            }
        }
        return chosen;
    }

    @Override
    public void onDispatched(RouteRequest request, int serverIndex, double now) {
        latestNow = Math.max(latestNow, now);
    }

    @Override
    public void onFinished(RouteRequest request, int serverIndex, double latencySeconds, boolean completed,
                           double now) {
        BaselineSupport.checkServerIndex(serverIndex);
        latestNow = Math.max(latestNow, now);
        if (!completed) {
            return;
        }
        int completionTokens = BaselineSupport.completionTokens(request.model(), request.size());
        double value = completionTokens > 0 ? latencySeconds / completionTokens : latencySeconds;
        ModelLatencies latencies = byModel.get(request.model().id());
        if (latencies == null) {
            latencies = new ModelLatencies(maxLatencyListSize);
            byModel.put(request.model().id(), latencies);
        } else if (now - latencies.lastWrite > ttlSeconds) {
            latencies.clear();
        }
        latencies.add(serverIndex, value);
        latencies.lastWrite = now;
    }

    /** Mean of the values kept for {@code model} at {@code serverIndex}, 0 when untried; for tests. */
    double mean(String model, int serverIndex) {
        ModelLatencies latencies = byModel.get(model);
        return latencies == null ? 0.0 : latencies.mean(serverIndex);
    }

    /** The last {@code size} values of each server, in one flat ring buffer per model. */
    private static final class ModelLatencies {

        private final int size;
        private double[] values;
        private int[] count;
        private int[] next;
        private double lastWrite = Double.NEGATIVE_INFINITY;

        ModelLatencies(int size) {
            this.size = size;
            this.values = new double[16 * size];
            this.count = new int[16];
            this.next = new int[16];
        }

        void add(int server, double value) {
            if (server >= count.length) {
                int servers = Math.max(server + 1, 2 * count.length);
                values = Arrays.copyOf(values, servers * size);
                count = Arrays.copyOf(count, servers);
                next = Arrays.copyOf(next, servers);
            }
            values[server * size + next[server]] = value;
            next[server] = (next[server] + 1) % size;
            count[server] = Math.min(count[server] + 1, size);
        }

        double mean(int server) {
            if (server < 0 || server >= count.length || count[server] == 0) {
                return 0.0;
            }
            double sum = 0.0;
            int base = server * size;
            for (int k = 0; k < count[server]; k++) {
                sum += values[base + k];
            }
            return sum / count[server];
        }

        void clear() {
            Arrays.fill(count, 0);
            Arrays.fill(next, 0);
        }
    }
}
