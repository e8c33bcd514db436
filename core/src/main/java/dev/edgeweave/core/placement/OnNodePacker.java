package dev.edgeweave.core.placement;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The on-node deployment agent's optimizer: turns this server's part of a plan into ordered actions.
 *
 * <p>Order: first unload what the plan no longer wants (the least busy first, each draining its queue before
 * it frees memory), then load what it wants (the largest first, since large models are the hardest to fit),
 * each on the GPU the plan names when it fits there, else the GPU with the least memory left after it fits
 * (best fit, keeping large holes for large models); then resize what stays but changed concurrency or
 * share weight, where a deployment with a backlog gets a fuller batch ({@link #slotsFor}). A load
 * that fits only once a draining model has freed its memory is deferred: the agent runs again when the
 * server's state changes and places it then. Memory is counted as it will be once the actions are done,
 * and a GPU is never planned over its memory.
 */
public final class OnNodePacker {

    /** What a deployment on the server looks like now. */
    public record Current(String modelId, int gpuIndex, int concurrency, double shareWeight, int inFlight,
                          boolean draining) {
    }

    /** One step for the server to take. */
    public record Action(Kind kind, String modelId, int gpuIndex, int concurrency, double shareWeight) {
        public enum Kind { UNLOAD, LOAD, RESIZE }
    }

    /** The steps to take now, and the deployments that must wait for memory to be freed. */
    public record Plan(List<Action> actions, List<Deployment> deferred) {
        public Plan {
            actions = List.copyOf(actions);
            deferred = List.copyOf(deferred);
        }
    }

    private OnNodePacker() {
    }

    /**
     * Plans the steps from {@code current} to {@code target} on {@code server}.
     *
     * @throws IllegalArgumentException for a target model unknown to {@code catalog}
     */
    public static Plan plan(EdgeServer server, ModelCatalog catalog, List<Current> current, List<Deployment> target) {
        Objects.requireNonNull(server, "server");
        int gpus = server.gpus().size();
        long[] used = new long[gpus];
        Map<String, Current> now = new HashMap<>();
        for (Current c : current) {
            now.put(c.modelId(), c);
            used[c.gpuIndex()] += catalog.require(c.modelId()).memoryBytes();
        }
        Map<String, Deployment> wanted = new HashMap<>();
        target.forEach(d -> wanted.put(d.modelId(), d));

        List<Action> actions = new ArrayList<>();
        current.stream()
                .filter(c -> !wanted.containsKey(c.modelId()) && !c.draining())
                .sorted(Comparator.comparingInt(Current::inFlight).thenComparing(Current::modelId))
                .forEach(c -> actions.add(new Action(Action.Kind.UNLOAD, c.modelId(), c.gpuIndex(), c.concurrency(),
                        c.shareWeight())));

        List<Deployment> deferred = new ArrayList<>();
        List<Deployment> loads = target.stream().filter(d -> !now.containsKey(d.modelId()))
                .sorted(Comparator.comparingLong((Deployment d) -> -catalog.require(d.modelId()).memoryBytes())
                        .thenComparing(Deployment::modelId))
                .toList();
        for (Deployment d : loads) {
            ModelSpec m = catalog.require(d.modelId());
            int gpu = chooseGpu(server, used, d.gpuIndex(), m.memoryBytes());
            if (gpu >= 0) {
                used[gpu] += m.memoryBytes();
                actions.add(new Action(Action.Kind.LOAD, d.modelId(), gpu, d.concurrency(), d.shareWeight()));
            } else {
                deferred.add(d);
            }
        }
        for (Deployment d : target) {
            Current c = now.get(d.modelId());
            if (c == null || c.draining()) {
                continue;
            }
            int slots = slotsFor(catalog.require(d.modelId()), d.concurrency(), c);
            if (c.concurrency() != slots || c.shareWeight() != d.shareWeight()) {
                actions.add(new Action(Action.Kind.RESIZE, d.modelId(), c.gpuIndex(), slots, d.shareWeight()));
            }
        }
        return new Plan(actions, deferred);
    }

    /**
     * Batch slots for a deployment now: the plan's number, doubled (up to the law's knee, where batching
     * stops paying) while more than twice that many prompts are in flight, and back to the plan's once fewer
     * than half are. Under a backlog a fuller batch serves more prompts a second at a small cost to each;
     * when the backlog is gone the smaller batch serves each prompt faster. The gap between the two
     * thresholds keeps it from flapping.
     */
    static int slotsFor(ModelSpec model, int planned, Current c) {
        int high = Math.max(planned, Math.min(model.law().batching().knee(), 2 * planned));
        if (high == planned) {
            return planned;
        }
        if (c.inFlight() > 2 * planned) {
            return high;
        }
        if (c.concurrency() == high && c.inFlight() * 2 >= planned) {
            return high;
        }
        return planned;
    }

    private static int chooseGpu(EdgeServer server, long[] used, int preferred, long bytes) {
        if (preferred >= 0 && preferred < used.length
                && server.gpus().get(preferred).memoryBytes() - used[preferred] >= bytes) {
            return preferred;
        }
        return bestFitGpu(server, used, bytes);
    }

    /**
     * The GPU of {@code server} that {@code bytes} more fit on with the least memory to spare (best fit, lowest
     * index on a tie), given {@code used} bytes held on each; -1 when it fits on none.
     */
    public static int bestFitGpu(EdgeServer server, long[] used, long bytes) {
        int best = -1;
        long bestLeft = Long.MAX_VALUE;
        for (int g = 0; g < used.length; g++) {
            long left = server.gpus().get(g).memoryBytes() - used[g] - bytes;
            if (left >= 0 && left < bestLeft) {
                best = g;
                bestLeft = left;
            }
        }
        return best;
    }
}
