package dev.edgeweave.testbed.evaluate;

import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.engine.PolicySpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one evaluation runs.
 *
 * @param scenario  scenario name (a bundled one) or a path to a scenario file
 * @param seeds     seeds 1…seeds
 * @param policies  the rows to run
 * @param trace     {@code --trace FILE}, replacing the scenario's chat trace
 * @param load      every arrival rate × load
 * @param failures  servers to fail
 * @param shiftAt   {@code --shift S}
 * @param threads   runs in parallel
 */
public record EvaluationOptions(String scenario, int seeds, List<PolicySpec> policies, Optional<Path> trace,
                                double load, List<FailureEvent> failures, OptionalDouble shiftAt, int threads) {
    public EvaluationOptions {
        Objects.requireNonNull(scenario, "scenario");
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, was " + seeds);
        }
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no policy to run");
        }
        if (!(load > 0) || Double.isInfinite(load)) {
            throw new IllegalArgumentException("--load must be a finite number > 0, was " + load);
        }
        policies = List.copyOf(policies);
        failures = List.copyOf(failures);
        threads = Math.max(1, threads);
    }
}
