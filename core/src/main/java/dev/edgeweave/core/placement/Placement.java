package dev.edgeweave.core.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which models each server holds: server id → its deployments. Immutable; servers not listed hold nothing.
 * Iteration order is the order servers were added, which keeps every consumer deterministic.
 */
public record Placement(Map<String, List<Deployment>> byServer) {

    public static final Placement EMPTY = new Placement(Map.of());

    public Placement {
        Map<String, List<Deployment>> copy = new LinkedHashMap<>();
        byServer.forEach((server, deployments) -> {
            List<Deployment> list = List.copyOf(deployments);
            long distinct = list.stream().map(Deployment::modelId).distinct().count();
            if (distinct != list.size()) {
                throw new IllegalArgumentException("server " + server + " lists a model twice: " + list);
            }
            if (!list.isEmpty()) {
                copy.put(server, list);
            }
        });
        byServer = Collections.unmodifiableMap(copy);
    }

    /** The deployments of {@code serverId}, empty when it holds nothing. */
    public List<Deployment> deploymentsOf(String serverId) {
        return byServer.getOrDefault(serverId, List.of());
    }

    /** The deployment of {@code modelId} on {@code serverId}, if it holds the model. */
    public Optional<Deployment> find(String serverId, String modelId) {
        for (Deployment d : deploymentsOf(serverId)) {
            if (d.modelId().equals(modelId)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public boolean holds(String serverId, String modelId) {
        return find(serverId, modelId).isPresent();
    }

    /** Servers holding {@code modelId}, in placement order. */
    public List<String> serversHolding(String modelId) {
        List<String> out = new ArrayList<>();
        byServer.forEach((server, deployments) -> {
            for (Deployment d : deployments) {
                if (d.modelId().equals(modelId)) {
                    out.add(server);
                }
            }
        });
        return out;
    }

    /** Total deployments over all servers. */
    public int size() {
        return byServer.values().stream().mapToInt(List::size).sum();
    }

    /** A copy with {@code d} added to {@code serverId}. */
    public Placement with(String serverId, Deployment d) {
        Map<String, List<Deployment>> m = new LinkedHashMap<>(byServer);
        List<Deployment> list = new ArrayList<>(deploymentsOf(serverId));
        list.add(d);
        m.put(serverId, list);
        return new Placement(m);
    }

    /** A copy without {@code modelId} on {@code serverId}. */
    public Placement without(String serverId, String modelId) {
        Map<String, List<Deployment>> m = new LinkedHashMap<>(byServer);
        List<Deployment> list = new ArrayList<>(deploymentsOf(serverId));
        list.removeIf(d -> d.modelId().equals(modelId));
        m.put(serverId, list);
        return new Placement(m);
    }
}
