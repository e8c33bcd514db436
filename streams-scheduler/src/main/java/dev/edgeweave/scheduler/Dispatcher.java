package dev.edgeweave.scheduler;

import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.latency.LatencyBreakdown;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.routing.EdgeweaveRouter;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the server of one attempt with core's {@link EdgeweaveRouter} over the {@link CityState} — the same
 * decision the testbed makes — and keeps the <b>local deltas</b>: prompts this task dispatched to a server
 * since that server's last {@code node-state} count in its queue, so a burst does not all land on the server
 * that looked idle in the last heartbeat. A new state of the server (a higher sequence) resets them.
 *
 * <p>One per stream task (not thread-safe).
 */
final class Dispatcher {

    /**
     * The path used for a link nobody has measured yet and no city map covers: a 5G cell to an in-metro server,
     * the global 5G medians of catalog-facts §8 (UL 21.1 Mbit/s, DL 166.1 Mbit/s) and a 20 ms RTT inside §8's
     * estimate for 5G to in-metro MEC [E].
     */
    static final NetworkPath UNMEASURED = new NetworkPath(0.020, 21.1e6, 166.1e6, false);

    /** Where one attempt goes. */
    record Choice(String nodeId, LatencyBreakdown predicted) {
    }

    private final CityState city;
    private final Optional<City> map;
    private final SchedulerSettings settings;
    private final Router router;
    private final NodeCandidates view = new NodeCandidates();
    private final Map<String, Deltas> deltas = new HashMap<>();

    Dispatcher(CityState city, Optional<City> map, SchedulerSettings settings) {
        this.city = Objects.requireNonNull(city, "city");
        this.map = Objects.requireNonNull(map, "map");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = new EdgeweaveRouter(city::weights);
    }

    /** The server for an attempt of a prompt, or empty when no server will do. */
    Optional<Choice> choose(String promptId, ModelSpec model, PromptSize size, String userId, String accessPointId,
                            double sloSeconds, List<String> excluded, Instant now) {
        NodeCandidates.Network network = new NodeCandidates.Network() {
            @Override
            public NetworkPath path(NodeView server) {
                NetworkPath measured = city.link(accessPointId, server.id);
                if (measured != null) {
                    return measured;
                }
                return map.map(m -> defaultPath(m, accessPointId, server.id)).orElse(UNMEASURED);
            }

            @Override
            public double distanceKm(NodeView server) {
                return map.map(m -> distance(m, accessPointId, server.id)).orElse(0.0);
            }
        };
        view.build(city, model, now, settings.heartbeatTimeout().toMillis(), excluded, network, this::delta);
        RouteRequest request = new RouteRequest(promptId, model, size, userId, accessPointId, sloSeconds,
                LatencyLaws.referenceInferenceSeconds(model, size));
        int c = view.size() == 0 ? -1 : router.choose(request, view);
        if (c < 0) {
            return Optional.empty();
        }
        LatencyBreakdown predicted = EdgeweaveRouter.predict(request, view, c);
        String nodeId = view.serverId(c);
        record(nodeId, model.id());
        return Optional.of(new Choice(nodeId, predicted));
    }

    private int delta(NodeView server, String modelId) {
        Deltas d = deltas.get(server.id);
        if (d == null || d.sequence != server.sequence) {
            return 0;
        }
        return d.byModel.getOrDefault(modelId, 0);
    }

    private void record(String nodeId, String modelId) {
        NodeView server = null;
        for (NodeView v : city.nodes()) {
            if (v.id.equals(nodeId)) {
                server = v;
                break;
            }
        }
        long sequence = server == null ? Long.MIN_VALUE : server.sequence;
        Deltas d = deltas.get(nodeId);
        if (d == null || d.sequence != sequence) {
            d = new Deltas(sequence);
            deltas.put(nodeId, d);
        }
        d.byModel.merge(modelId, 1, Integer::sum);
    }

    private static NetworkPath defaultPath(City m, String from, String to) {
        try {
            return m.path(from, to);
        } catch (IllegalArgumentException unknownToTheMap) {
            return UNMEASURED;
        }
    }

    private static double distance(City m, String from, String to) {
        try {
            return m.requireAccessPoint(from).location().distanceKm(
                    m.requireSite(m.requireServer(to).siteId()).location());
        } catch (IllegalArgumentException unknownToTheMap) {
            return 0.0;
        }
    }

    /** Dispatches to one server since its state of {@code sequence}. */
    private static final class Deltas {
        final long sequence;
        final Map<String, Integer> byModel = new HashMap<>();

        Deltas(long sequence) {
            this.sequence = sequence;
        }
    }
}
