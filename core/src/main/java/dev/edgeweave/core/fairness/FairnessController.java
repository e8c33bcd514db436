package dev.edgeweave.core.fairness;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.EnumMap;
import java.util.Map;

/**
 * The short-term scheduling agent's optimizer: lifts the worst-served class by re-weighting routing.
 *
 * <p>Each window it compares every class's mean slowdown with the mean over classes. A class above the mean
 * gets a higher weight (its waiting counts for more, so its prompts leave queues sooner and the planner gives
 * it more capacity), a class below gets a lower one, multiplicatively: {@code w ← w · (s / mean)^gain},
 * clamped to [{@link #MIN}, {@link #MAX}] and
 * renormalised to a geometric mean of 1, so weights say who yields to whom rather than drifting together.
 * The gain below 1 damps the loop: a window's noise moves weights a little, a persistent imbalance a lot.
 * Classes with fewer than {@code minSamples} prompts behind their figure keep their weight (no evidence);
 * the short-term agent's brain hands in slowdowns and counts accumulated over recent windows.
 *
 * <p>The same numbers give the long-term agent its priorities: a class's placement priority is its weight,
 * so the class that routing favours also gets more capacity and a larger share of the GPUs it shares.
 */
public final class FairnessController {

    public static final double MIN = 0.4;
    public static final double MAX = 2.5;

    private final double gain;
    private final int minSamples;

    /**
     * @param gain       how hard one window pushes, in (0, 1]
     * @param minSamples prompts a class needs in a window to be re-weighted
     */
    public FairnessController(double gain, int minSamples) {
        if (!(gain > 0 && gain <= 1)) {
            throw new IllegalArgumentException("gain must be in (0, 1], was " + gain);
        }
        this.gain = gain;
        this.minSamples = Math.max(1, minSamples);
    }

    /** The defaults: gain 0.3, 20 prompts a class. */
    public FairnessController() {
        this(0.3, 20);
    }

    /**
     * New class weights.
     *
     * @param current      weights in force (a missing class has 1)
     * @param meanSlowdown per class, the window's mean slowdown
     * @param counts       per class, prompts in the window
     */
    public Map<ModelClass, Double> update(Map<ModelClass, Double> current, Map<ModelClass, Double> meanSlowdown,
                                          Map<ModelClass, Long> counts) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<ModelClass, Double> e : meanSlowdown.entrySet()) {
            if (counts.getOrDefault(e.getKey(), 0L) >= minSamples && e.getValue() > 0) {
                sum += e.getValue();
                n++;
            }
        }
        EnumMap<ModelClass, Double> next = new EnumMap<>(ModelClass.class);
        current.forEach(next::put);
        if (n < 2) {
            return next;
        }
        double mean = sum / n;
        for (Map.Entry<ModelClass, Double> e : meanSlowdown.entrySet()) {
            ModelClass c = e.getKey();
            if (counts.getOrDefault(c, 0L) < minSamples || !(e.getValue() > 0)) {
                continue;
            }
            double w = current.getOrDefault(c, 1.0) * Math.pow(e.getValue() / mean, gain);
            next.put(c, clamp(w));
        }
        double logSum = 0;
        for (double w : next.values()) {
            logSum += Math.log(w);
        }
        double geoMean = next.isEmpty() ? 1.0 : Math.exp(logSum / next.size());
        next.replaceAll((c, w) -> clamp(w / geoMean));
        return next;
    }

    /** The placement priority of a class under {@code weights}: its weight. */
    public static double priority(RoutingWeights weights, ModelClass c) {
        return weights.weight(c);
    }

    private static double clamp(double w) {
        return Math.max(MIN, Math.min(MAX, w));
    }
}
