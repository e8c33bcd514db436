package dev.edgeweave.testbed.report;

import java.util.List;
import java.util.Objects;

/**
 * The contents of a {@code summary.json}, as {@link SummaryJson#read} gives them back.
 *
 * @param header   the run's header
 * @param policies one summary per policy, in the file's order
 */
public record SummaryFile(SummaryHeader header, List<PolicySummary> policies) {

    public SummaryFile {
        Objects.requireNonNull(header, "header");
        policies = List.copyOf(policies);
    }
}
