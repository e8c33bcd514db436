package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code vtc}: AIBrix's {@code vtc-basic} routing, Virtual Token Counter fairness folded into pod choice.
 *
 * <p>Source: vllm-project/aibrix, {@code pkg/plugins/gateway/algorithms/vtc/vtc_basic.go}
 * ({@code BasicVTCRouter.Route}, the version with the wrapped mapping and circular distance),
 * {@code token_tracker.go} ({@code InMemorySlidingWindowTokenTracker}) and {@code vtc_router.go}. Ported:
 * <ul>
 *   <li><b>token counter</b>: per user, a sliding window of {@value #WINDOW_SECONDS} s (default 5 minutes) in
 *       one-second buckets (the tracker keys buckets by Unix seconds), charging
 *       {@code input·1 + output·2} tokens ({@code AIBRIX_ROUTER_VTC_BASIC_INPUT/OUTPUT_TOKEN_WEIGHT}) when a
 *       prompt is routed; a user's expired buckets are pruned when that user is read or charged;</li>
 *   <li><b>adaptive bucket</b>: {@code max(1000, (minTokens + maxTokens)/2)}, min and max over the users with a
 *       positive count, floors 1000 and 8000 when there are none;</li>
 *   <li><b>fairness</b>: the user's position {@code x = (tokens / bucket) mod n} on the ring of the {@code n}
 *       pods, and each pod's circular distance {@code min(|i − x|, n − |i − x|)} to it, so heavier users move to
 *       later pods and wrap around;</li>
 *   <li><b>utilisation</b>: {@code min(running / 100, 1)} (running requests of the model on the pod; waiting ones
 *       not counted, the default);</li>
 *   <li><b>score</b>: {@code 1.0·fairness + 1.0·utilisation + U[0, 0.1)}, the lowest wins; a prompt without a
 *       user goes to a uniformly random pod; the empty user is never charged.</li>
 * </ul>
 *
 * <p>Adapted to edgeweave: a pod is a candidate server's deployment of the prompt's model, and pod {@code i} is
 * the candidate of rank {@code i} by server index, so a user's position means the same server from prompt to
 * prompt. AIBrix cannot know a request's sizes and estimates them (4 characters a token, output 1.5 × input);
 * edgeweave's router knows them, so it charges the prompt's input tokens and its output text tokens (completion
 * for chat and vision-language, transcript for speech recognition, none for image generation or speech
 * synthesis), the quantities the estimator stands in for. The charge happens in {@link #onDispatched} (AIBrix
 * charges in {@code Route}, i.e. for every routed request); the window's clock is the latest {@code now} the
 * callbacks have seen, since {@link #choose} receives no time. Randomness comes from the seeded generator.
 */
public final class VtcRouter implements Router {

    public static final String NAME = "vtc";

    /** {@code AIBRIX_ROUTER_VTC_BASIC_FAIRNESS_WEIGHT} default. */
    public static final double DEFAULT_FAIRNESS_WEIGHT = 1.0;
    /** {@code AIBRIX_ROUTER_VTC_BASIC_UTILIZATION_WEIGHT} default. */
    public static final double DEFAULT_UTILIZATION_WEIGHT = 1.0;
    /** {@code AIBRIX_ROUTER_VTC_BASIC_MAX_POD_LOAD} default: running requests at which utilisation is 1. */
    public static final double DEFAULT_MAX_POD_LOAD = 100.0;
    /** {@code AIBRIX_ROUTER_VTC_BASIC_INPUT_TOKEN_WEIGHT} default. */
    public static final double INPUT_TOKEN_WEIGHT = 1.0;
    /** {@code AIBRIX_ROUTER_VTC_BASIC_OUTPUT_TOKEN_WEIGHT} default. */
    public static final double OUTPUT_TOKEN_WEIGHT = 2.0;
    /** Token tracker window: 5 buckets of the default unit, minutes. */
    public static final long WINDOW_SECONDS = 300;
    /** {@code AIBRIX_ROUTER_VTC_TOKEN_TRACKER_MIN_TOKENS} default: min floor and least bucket size. */
    public static final double MIN_TOKENS = 1000.0;
    /** {@code AIBRIX_ROUTER_VTC_TOKEN_TRACKER_MAX_TOKENS} default: max floor. */
    public static final double MAX_TOKENS = 8000.0;
    /** Width of the random tie-breaking term added to every pod's score. */
    public static final double RANDOM_FACTOR = 0.1;

    private final SplittableRandom random;
    private final double fairnessWeight;
    private final double utilizationWeight;
    private final double maxPodLoad;
    private final boolean utilizationIncludesWaiting;
    private final BaselineSupport.ServerOrder order = new BaselineSupport.ServerOrder();

    private final Map<String, UserWindow> users = new HashMap<>();
    /** The same windows as {@link #users}, for scans without an iterator. */
    private final List<UserWindow> userList = new ArrayList<>();
    private double minTracked = Double.POSITIVE_INFINITY;
    private double maxTracked = 0.0;
    private boolean extremesStale;
    private double latestNow = Double.NEGATIVE_INFINITY;

    /** AIBrix's defaults. */
    public VtcRouter(long seed) {
        this(seed, DEFAULT_FAIRNESS_WEIGHT, DEFAULT_UTILIZATION_WEIGHT, DEFAULT_MAX_POD_LOAD, false);
    }

    /**
     * @param fairnessWeight             weight of the circular distance to the user's position
     * @param utilizationWeight          weight of the pod's utilisation
     * @param maxPodLoad                 requests at which a pod's utilisation reaches 1
     * @param utilizationIncludesWaiting count waiting as well as running requests as load
     *                                   ({@code AIBRIX_ROUTER_VTC_BASIC_UTILIZATION_INCLUDE_WAITING})
     */
    public VtcRouter(long seed, double fairnessWeight, double utilizationWeight, double maxPodLoad,
                     boolean utilizationIncludesWaiting) {
        if (!(fairnessWeight >= 0) || !(utilizationWeight >= 0)) {
            throw new IllegalArgumentException("weights must be >= 0, were " + fairnessWeight + " and "
                    + utilizationWeight);
        }
        if (!(maxPodLoad > 0)) {
            throw new IllegalArgumentException("maxPodLoad must be > 0, was " + maxPodLoad);
        }
        this.random = new SplittableRandom(seed);
        this.fairnessWeight = fairnessWeight;
        this.utilizationWeight = utilizationWeight;
        this.maxPodLoad = maxPodLoad;
        this.utilizationIncludesWaiting = utilizationIncludesWaiting;
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
        String user = request.userId();
        if (user == null) {
            return random.nextInt(n);
        }
        double position = position(tokenCount(user), n);
        int[] sorted = order.sort(candidates);
        int chosen = -1;
        double lowest = Double.POSITIVE_INFINITY;
        for (int rank = 0; rank < n; rank++) {
            int i = sorted[rank];
            double distance = Math.abs(rank - position);
            double fairness = Math.min(distance, n - distance);
            double load = candidates.running(i) + (utilizationIncludesWaiting ? candidates.queued(i) : 0);
            double utilization = Math.min(load / maxPodLoad, 1.0);
            double score = fairnessWeight * fairness + utilizationWeight * utilization
                    + random.nextDouble() * RANDOM_FACTOR;
            if (score < lowest) {
                lowest = score;
                chosen = i;
            }
        }
        return chosen;
    }

    @Override
    public void onDispatched(RouteRequest request, int serverIndex, double now) {
        latestNow = Math.max(latestNow, now);
        String user = request.userId();
        if (user == null || user.isEmpty()) {
            return;
        }
        double tokens = INPUT_TOKEN_WEIGHT * request.size().inputTokens()
                + OUTPUT_TOKEN_WEIGHT * BaselineSupport.outputTextTokens(request.model(), request.size());
        UserWindow window = users.get(user);
        if (window == null) {
            window = new UserWindow();
            users.put(user, window);
            userList.add(window);
        }
        prune(window, cutoff(now));
        double before = window.total;
        window.add((long) Math.floor(now), tokens);
        updateExtremes(before, window.total);
    }

    @Override
    public void onFinished(RouteRequest request, int serverIndex, double latencySeconds, boolean completed,
                           double now) {
        latestNow = Math.max(latestNow, now);
    }

    /** The user's tokens in the window as of the latest time seen, pruning the user's expired buckets. */
    double tokenCount(String user) {
        UserWindow window = user.isEmpty() ? null : users.get(user);
        if (window == null) {
            return 0.0;
        }
        prune(window, cutoff(latestNow));
        return window.total;
    }

    /** The user's position on the ring of {@code n} pods: {@code (tokens / bucket) mod n}. */
    double position(double userTokens, int n) {
        double bucket = Math.max(MIN_TOKENS, (minTokens() + maxTokens()) / 2.0);
        double x = (userTokens / bucket) % n;
        return x < 0 ? x + n : x;
    }

    private double minTokens() {
        refreshExtremes();
        return minTracked == Double.POSITIVE_INFINITY ? MIN_TOKENS : minTracked;
    }

    private double maxTokens() {
        refreshExtremes();
        return maxTracked == 0.0 ? MAX_TOKENS : maxTracked;
    }

    private static long cutoff(double now) {
        return (long) Math.floor(now - WINDOW_SECONDS);
    }

    private void prune(UserWindow window, long cutoff) {
        double before = window.total;
        if (window.pruneBefore(cutoff)) {
            updateExtremes(before, window.total);
        }
    }

    /**
     * Keeps the min and max over users with a positive count, as the tracker does: a change that might move a
     * boundary away from its current holder marks them for a rescan at the next read.
     */
    private void updateExtremes(double before, double after) {
        if (after > maxTracked) {
            maxTracked = after;
        } else if (before == maxTracked && after < before) {
            extremesStale = true;
        }
        if (after > 0 && after < minTracked) {
            minTracked = after;
        } else if (before == minTracked && after != before) {
            extremesStale = true;
        }
    }

    private void refreshExtremes() {
        if (!extremesStale) {
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0.0;
        for (int u = 0; u < userList.size(); u++) {
            double total = userList.get(u).total;
            if (total > 0) {
                min = Math.min(min, total);
                max = Math.max(max, total);
            }
        }
        minTracked = min;
        maxTracked = max;
        extremesStale = false;
    }

    /** One user's token buckets, oldest first, in a ring buffer of (second, tokens). */
    private static final class UserWindow {

        private long[] seconds = new long[8];
        private double[] tokens = new double[8];
        private int head;
        private int size;
        double total;

        void add(long second, double amount) {
            int last = (head + size - 1) % seconds.length;
            if (size > 0 && seconds[last] == second) {
                tokens[last] += amount;
            } else {
                if (size == seconds.length) {
                    grow();
                }
                int slot = (head + size) % seconds.length;
                seconds[slot] = second;
                tokens[slot] = amount;
                size++;
            }
            total += amount;
        }

        /** Drops the buckets older than {@code cutoff}; true when any was dropped. */
        boolean pruneBefore(long cutoff) {
            boolean pruned = false;
            while (size > 0 && seconds[head] < cutoff) {
                total -= tokens[head];
                head = (head + 1) % seconds.length;
                size--;
                pruned = true;
            }
            if (pruned) {
                total = size == 0 ? 0.0 : Math.max(0.0, total);
            }
            return pruned;
        }

        private void grow() {
            int capacity = seconds.length;
            long[] newSeconds = new long[2 * capacity];
            double[] newTokens = new double[2 * capacity];
            for (int k = 0; k < size; k++) {
                newSeconds[k] = seconds[(head + k) % capacity];
                newTokens[k] = tokens[(head + k) % capacity];
            }
            seconds = newSeconds;
            tokens = newTokens;
            head = 0;
        }
    }
}
