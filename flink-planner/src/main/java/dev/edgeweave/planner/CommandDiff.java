package dev.edgeweave.planner;

import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.v1.DeploymentAction;
import dev.edgeweave.v1.DeploymentCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan into commands: for each server that is up, the difference between what the plan wants and what the
 * server reports it holds. Unloads first (they free the memory loads need), then loads, then resizes; none for
 * a server that already matches; at most {@code churnLimit} per server per plan (the rest wait for the next
 * plan, which asks again). Each command's id is {@code <planId>/<nodeId>/<ACTION>/<modelId>}: the same plan
 * diffed again (a restart) gives the same ids, and a connector applies an id once.
 */
public final class CommandDiff {

    /** What a server reports holding: model id → (GPU, slots). */
    public record Held(String modelId, int gpuIndex, int concurrency) {
    }

    private CommandDiff() {
    }

    /**
     * @param planId     the plan's id
     * @param plan       what each server should hold
     * @param reported   per server that is up, what it holds now
     * @param churnLimit most commands per server (≥ 1)
     * @param at         the commands' issue time, city clock
     */
    public static List<DeploymentCommand> diff(String planId, Placement plan, Map<String, Collection<Held>> reported,
                                               int churnLimit, Instant at) {
        if (churnLimit < 1) {
            throw new IllegalArgumentException("churn limit must be >= 1, was " + churnLimit);
        }
        List<DeploymentCommand> out = new ArrayList<>();
        for (Map.Entry<String, Collection<Held>> server : new TreeMap<>(reported).entrySet()) {
            String node = server.getKey();
            Map<String, Held> held = new TreeMap<>();
            server.getValue().forEach(h -> held.put(h.modelId(), h));
            Map<String, Deployment> wanted = new TreeMap<>();
            plan.deploymentsOf(node).forEach(d -> wanted.put(d.modelId(), d));
            List<DeploymentCommand> mine = new ArrayList<>();
            held.keySet().stream().filter(m -> !wanted.containsKey(m))
                    .forEach(m -> mine.add(command(planId, node, DeploymentAction.UNLOAD, m, null, null, at)));
            wanted.values().stream().filter(d -> !held.containsKey(d.modelId()))
                    .forEach(d -> mine.add(command(planId, node, DeploymentAction.LOAD, d.modelId(), d.gpuIndex(),
                            d.concurrency(), at)));
            wanted.values().stream().filter(d -> held.containsKey(d.modelId())
                            && held.get(d.modelId()).concurrency() != d.concurrency())
                    .forEach(d -> mine.add(command(planId, node, DeploymentAction.RESIZE, d.modelId(), null,
                            d.concurrency(), at)));
            out.addAll(mine.subList(0, Math.min(churnLimit, mine.size())));
        }
        return out;
    }

    static String commandId(String planId, String node, DeploymentAction action, String model) {
        return planId + "/" + node + "/" + action + "/" + model;
    }

    private static DeploymentCommand command(String planId, String node, DeploymentAction action, String model,
                                             Integer gpu, Integer slots, Instant at) {
        return DeploymentCommand.newBuilder().setCommandId(commandId(planId, node, action, model)).setPlanId(planId)
                .setNodeId(node).setAction(action).setModelId(model).setGpuIndex(gpu).setConcurrency(slots)
                .setIssuedAt(at).build();
    }
}
