package dev.edgeweave.scheduler;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.routing.RoutingWeights;
import dev.edgeweave.schemas.ModelClasses;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.ClassWeight;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeCap;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.RoutingPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole city as the router sees it: every server's latest state, every measured link, the routing policy
 * in force. The global-store processors of {@code node-state}, {@code network-telemetry} and
 * {@code routing-policy} write it (on the global thread); the routing processors read it (on stream
 * threads), so every instance routes with the whole city in view. Decoded once per record, not per prompt.
 *
 * <p>Thread-safe: maps are concurrent and the policy reference is volatile. One instance per
 * {@code KafkaStreams} instance, handed to the topology builder.
 */
public final class CityState {

    private final GpuCatalog gpus;
    private final Set<String> knownNodes;
    private final Map<String, NodeView> nodes = new ConcurrentHashMap<>();
    // Measured links by source, then target: a router asks for every server from one access point, and two
    // look-ups of ids whose hashes are cached cost less than building and hashing a "from/to" key per server.
    private final Map<String, Map<String, NetworkPath>> linksFrom = new ConcurrentHashMap<>();
    /** The source and target of each link key, for a tombstone (which carries only the key). */
    private final Map<String, String[]> linkEnds = new ConcurrentHashMap<>();
    private volatile RoutingWeights weights = RoutingWeights.NEUTRAL;
    private volatile long policyVersion = Long.MIN_VALUE;
    private volatile NodeView[] snapshot = new NodeView[0];

    /**
     * @param gpus       the GPU types servers may report
     * @param knownNodes the servers of the city; a {@code node-state} for another id is refused. Empty means
     *                   any id is accepted (a city that grows by connectors announcing themselves).
     */
    public CityState(GpuCatalog gpus, Set<String> knownNodes) {
        this.gpus = Objects.requireNonNull(gpus, "gpus");
        this.knownNodes = Set.copyOf(knownNodes);
    }

    /**
     * Takes a server's state; a tombstone removes the server.
     *
     * @throws IllegalArgumentException for an unknown server, an unknown GPU type or inconsistent GPU indices
     *     (the caller logs and counts it; the previous state stays)
     */
    public void update(String nodeId, NodeState state) {
        if (state == null) {
            nodes.remove(nodeId);
        } else {
            if (!knownNodes.isEmpty() && !knownNodes.contains(state.getNodeId())) {
                throw new IllegalArgumentException("node-state for unknown server '" + state.getNodeId() + "'");
            }
            if (!state.getNodeId().equals(nodeId)) {
                throw new IllegalArgumentException("node-state keyed '" + nodeId + "' is for '" + state.getNodeId() + "'");
            }
            NodeView previous = nodes.get(nodeId);
            if (previous != null && state.getSequence() < previous.sequence) {
                return; // an older state arriving late: the newer one stands
            }
            nodes.put(nodeId, NodeView.of(state, gpus));
        }
        List<NodeView> list = new ArrayList<>(nodes.values());
        list.sort((a, b) -> a.id.compareTo(b.id));
        snapshot = list.toArray(new NodeView[0]);
    }

    /**
     * Takes a link measurement; a tombstone forgets the link. A sample of 0 probes is a link down (no probe
     * answered): {@link NetworkPath#UNREACHABLE}, over which nothing is routed until a sample with figures or a
     * tombstone replaces it.
     *
     * @throws IllegalArgumentException for a key that is not {@code from/to} of the sample, or figures out of range
     */
    public void update(String key, LinkSample sample) {
        if (sample == null) {
            String[] ends = linkEnds.remove(key);
            if (ends != null) {
                Map<String, NetworkPath> row = linksFrom.get(ends[0]);
                if (row != null) {
                    row.remove(ends[1]);
                }
            }
            return;
        }
        if (!key.equals(Topics.linkKey(sample.getFromId(), sample.getToId()))) {
            throw new IllegalArgumentException("link sample keyed '" + key + "' is for "
                    + Topics.linkKey(sample.getFromId(), sample.getToId()));
        }
        if (sample.getProbes() < 0) {
            throw new IllegalArgumentException("link sample " + key + " has probes < 0");
        }
        NetworkPath path;
        if (sample.getProbes() == 0) {
            path = NetworkPath.UNREACHABLE; // no probe answered: the link is down
        } else {
            if (!(sample.getRttMillis() >= 0) || !(sample.getUplinkMbps() > 0) || !(sample.getDownlinkMbps() > 0)) {
                throw new IllegalArgumentException("link sample " + key + " has an RTT < 0 or a throughput <= 0");
            }
            path = NetworkPath.measured(sample.getRttMillis() / 1000.0, sample.getUplinkMbps() * 1e6,
                    sample.getDownlinkMbps() * 1e6);
        }
        linksFrom.computeIfAbsent(sample.getFromId(), k -> new ConcurrentHashMap<>()).put(sample.getToId(), path);
        linkEnds.put(key, new String[] {sample.getFromId(), sample.getToId()});
    }

    /**
     * Takes a routing policy: the newest version wins; a tombstone restores the defaults.
     *
     * @throws IllegalArgumentException for weights out of range or a policy naming unknown servers
     */
    public void update(RoutingPolicy policy) {
        if (policy == null) {
            weights = RoutingWeights.NEUTRAL;
            policyVersion = Long.MIN_VALUE;
            return;
        }
        if (policy.getVersion() < policyVersion) {
            return;
        }
        Map<dev.edgeweave.core.model.ModelClass, Double> classWeights =
                new EnumMap<>(dev.edgeweave.core.model.ModelClass.class);
        for (ClassWeight w : policy.getClassWeights()) {
            classWeights.put(ModelClasses.toCore(w.getModelClass()), w.getWeight());
        }
        Map<String, Integer> caps = new HashMap<>();
        for (NodeCap c : policy.getNodeCaps()) {
            caps.put(c.getNodeId(), c.getMaxQueued());
        }
        Set<String> excluded = new HashSet<>(policy.getExcludedNodeIds());
        if (!knownNodes.isEmpty()) {
            for (String n : excluded) {
                if (!knownNodes.contains(n)) {
                    throw new IllegalArgumentException("routing-policy excludes unknown server '" + n + "'");
                }
            }
        }
        weights = new RoutingWeights(classWeights, excluded, caps);
        policyVersion = policy.getVersion();
    }

    public RoutingWeights weights() {
        return weights;
    }

    /** The servers, sorted by id (a stable index for routers that keep state per server). */
    NodeView[] nodes() {
        return snapshot;
    }

    /** The measured paths from {@code fromId}, by target server id; null when none was measured. */
    Map<String, NetworkPath> linksFrom(String fromId) {
        Map<String, NetworkPath> row = linksFrom.get(fromId);
        return row == null || row.isEmpty() ? null : row;
    }

    /** The server's latest state, or null. */
    NodeView node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Server ids, for tests and health. */
    public Collection<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }
}
