package dev.edgeweave.agents;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the short-term scheduling agent reasons over, every short window: each class's service and each
 * server's load in the window, and the policy in force. Telemetry and aggregates only, never prompt content.
 *
 * @param windowEnd city seconds at the end of the window
 * @param classes   per class, its stats (classes with no prompt in the window are absent)
 * @param servers   per server, its load
 * @param current   the routing weights in force
 */
public record SchedulingSituation(double windowEnd, Map<ModelClass, ClassStats> classes, List<ServerLoad> servers,
                                  RoutingWeights current) {
    public SchedulingSituation {
        classes = classes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(classes));
        servers = List.copyOf(servers);
    }

    /**
     * The window's measure, as the agents' memory records a decision's outcome: mean latency and slowdown per
     * class, and the Normalized Jain index over the classes' slowdown. Numbers only.
     */
    public String measure() {
        if (classes.isEmpty()) {
            return "no prompt ended";
        }
        StringBuilder b = new StringBuilder();
        double[] slowdowns = new double[classes.size()];
        int i = 0;
        for (Map.Entry<ModelClass, ClassStats> e : classes.entrySet()) {
            b.append(String.format(java.util.Locale.ROOT, "%s %.2f s (slowdown %.2f, %d); ", e.getKey(),
                    e.getValue().meanLatencySeconds(), e.getValue().meanSlowdown(), e.getValue().count()));
            slowdowns[i++] = e.getValue().meanSlowdown();
        }
        return b.append(String.format(java.util.Locale.ROOT, "Normalized Jain %.3f",
                dev.edgeweave.core.fairness.Fairness.normalizedJain(slowdowns))).toString();
    }
}
