package dev.edgeweave.testbed.scenario;

import java.util.List;
import java.util.Objects;

/**
 * A distribution a prompt size is drawn from. Scenario data only: the workload generator samples it.
 * {@link #min()} and {@link #max()} bound every value it can give, which is how the loader checks a size
 * against a model's limits before anything runs.
 */
public sealed interface Distribution {

    /** The smallest value it can give. */
    double min();

    /** The largest value it can give ({@code +∞} when unbounded). */
    double max();

    /** Always {@code value}. In a file: a bare number, {@code {const: v}} or, for pixels, {@code 1024x768}. */
    record Constant(double value) implements Distribution {
        @Override
        public double min() {
            return value;
        }

        @Override
        public double max() {
            return value;
        }
    }

    /** Uniform on {@code [low, high]}; for whole-number fields, rounded. In a file: {@code {uniform: [low, high]}}. */
    record Uniform(double low, double high) implements Distribution {
        public Uniform {
            if (!(low <= high)) {
                throw new IllegalArgumentException("uniform needs low <= high, was [" + low + ", " + high + "]");
            }
        }

        @Override
        public double min() {
            return low;
        }

        @Override
        public double max() {
            return high;
        }
    }

    /**
     * Log-normal with this median and σ of the logarithm, clamped to {@code [min, max]}: the usual shape of
     * request sizes (heavy right tail, no negatives). In a file:
     * {@code {lognormal: {median: m, sigma: s}, min: a, max: b}}.
     */
    record LogNormal(double median, double sigma, double min, double max) implements Distribution {
        public LogNormal {
            if (!(median > 0) || !(sigma >= 0) || !(min <= max)) {
                throw new IllegalArgumentException("lognormal needs median > 0, sigma >= 0, min <= max");
            }
        }
    }

    /**
     * One of {@code values}, with probabilities proportional to {@code weights}. In a file:
     * {@code {choice: [v1, v2], weights: [w1, w2]}} (weights default to equal).
     */
    record Choice(List<Double> values, List<Double> weights) implements Distribution {
        public Choice {
            values = List.copyOf(values);
            weights = List.copyOf(weights);
            if (values.isEmpty() || values.size() != weights.size()) {
                throw new IllegalArgumentException("choice needs as many weights as values, and at least one");
            }
        }

        @Override
        public double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        @Override
        public double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    /** Which column of the Azure trace a {@link FromTrace} distribution draws. */
    enum TraceColumn {
        CONTEXT_TOKENS("contextTokens"), GENERATED_TOKENS("generatedTokens");

        private final String yamlName;

        TraceColumn(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /**
     * A value of one column of a row drawn at random from the chat trace (its empirical distribution),
     * clamped to {@code [min, max]}. In a file: {@code {fromTrace: generatedTokens, max: 2000}}. E.g.
     * speech synthesis speaks chat answers, so its text length is the trace's answer length.
     */
    record FromTrace(TraceColumn column, double min, double max) implements Distribution {
        public FromTrace {
            Objects.requireNonNull(column, "column");
            if (!(min <= max)) {
                throw new IllegalArgumentException("fromTrace needs min <= max");
            }
        }
    }
}
