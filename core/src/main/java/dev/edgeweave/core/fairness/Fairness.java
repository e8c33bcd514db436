package dev.edgeweave.core.fairness;

/**
 * The fairness metrics of DESIGN "Evaluation": Jain's index, its normalised form, and a prompt's slowdown.
 *
 * <p>The primary fairness figure is the normalised Jain index over the per-class mean slowdown: slowdown
 * rather than latency, because a 10-second image and a 0.3-second chat answer can both be served equally
 * well, and the normalisation maps the worst case (one class gets everything) to 0 whatever the number of
 * classes, so 5 classes and 2 users are on one scale.
 */
public final class Fairness {

    private Fairness() {
    }

    /**
     * Jain's index {@code (Σx)² / (n·Σx²)}, in [1/n, 1]; 1 when all values are equal, including all zero
     * (nobody is favoured). Values must be finite and ≥ 0.
     */
    public static double jain(double[] x) {
        validate(x);
        double sum = 0;
        double sumSquares = 0;
        for (double v : x) {
            sum += v;
            sumSquares += v * v;
        }
        if (sumSquares == 0) {
            return 1.0;
        }
        return Math.min(1.0, sum * sum / (x.length * sumSquares));
    }

    /**
     * The normalised Jain index {@code (J − 1/n) / (1 − 1/n)}, in [0, 1]: 0 when one value has everything,
     * 1 when all are equal; defined as 1 when n = 1 or all values are equal (also all zero).
     */
    public static double normalizedJain(double[] x) {
        double j = jain(x);
        int n = x.length;
        if (n == 1 || allEqual(x)) {
            return 1.0;
        }
        double floor = 1.0 / n;
        double normalized = (j - floor) / (1.0 - floor);
        // Rounding can put a value a few ulps outside [0, 1]; the definition cannot.
        return Math.max(0.0, Math.min(1.0, normalized));
    }

    /**
     * A prompt's slowdown: its latency over its inference time alone on the reference GPU (no queue, no
     * network). Both must be finite and &gt; 0.
     */
    public static double slowdown(double latencySeconds, double referenceInferenceSeconds) {
        if (!(latencySeconds > 0) || Double.isInfinite(latencySeconds)) {
            throw new IllegalArgumentException("latencySeconds must be finite and > 0, was " + latencySeconds);
        }
        if (!(referenceInferenceSeconds > 0) || Double.isInfinite(referenceInferenceSeconds)) {
            throw new IllegalArgumentException(
                    "referenceInferenceSeconds must be finite and > 0, was " + referenceInferenceSeconds);
        }
        return latencySeconds / referenceInferenceSeconds;
    }

    private static void validate(double[] x) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("the Jain index needs at least one value");
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
                throw new IllegalArgumentException("values must be finite and >= 0, but x[" + i + "] = " + v);
            }
        }
    }

    private static boolean allEqual(double[] x) {
        for (double v : x) {
            if (v != x[0]) {
                return false;
            }
        }
        return true;
    }
}
