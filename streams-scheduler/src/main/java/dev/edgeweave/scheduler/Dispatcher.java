package dev.edgeweave.scheduler;

import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.latency.LatencyBreakdown;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.routing.Candidates;
import dev.edgeweave.core.routing.EdgeweaveRouter;
import dev.edgeweave.core.routing.RouteRequest;
import dev.edgeweave.core.routing.Router;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the server of one attempt with core's {@link EdgeweaveRouter} over the {@link CityState} — the same
 * decision the testbed makes — and keeps the <b>local deltas</b>: prompts this task dispatched to a server
 * since that server's last {@code node-state} count in its queue, so a burst does not all land on the server
 * that looked idle in the last heartbeat. A new state of the server (a higher sequence) resets them.
 *
 * <p>One per stream task (not thread-safe). Public for the testbed, whose scheduler benchmark times
 * {@link #choose} and whose equality test compares {@link #candidates} with its own engine's view.
 */
public final class Dispatcher {

    /**
     * The path used for a link nobody has measured yet and no city map covers: a 5G cell to an in-metro server,
     * the global 5G medians of catalog-facts §8 (UL 21.1 Mbit/s, DL 166.1 Mbit/s) and a 20 ms RTT inside §8's
     * estimate for 5G to in-metro MEC [E].
     */
    static final NetworkPath UNMEASURED = new NetworkPath(0.020, 21.1e6, 166.1e6, false);

    /**
     * Where one attempt goes.
     *
     * @param nodeId    the chosen server
     * @param predicted the router's unweighted prediction of the prompt's latency there
     */
    public record Choice(String nodeId, LatencyBreakdown predicted) {
    }

    private final CityState city;
    private final Optional<City> map;
    private final SchedulerSettings settings;
    private final Router router;
    private final NodeCandidates view = new NodeCandidates();
    /** The local deltas by server id: the truth, from which {@link PromptContext} keeps an aligned copy. */
    private final Map<String, Deltas> deltas = new HashMap<>();
    /** A small index per model id, for the deltas' per-model counts. */
    private final Map<String, Integer> modelSlot = new HashMap<>();
    private final PromptContext context = new PromptContext();
    /** The city map's server columns, and the ids it can route from (its access points and servers). */
    private final Map<String, Integer> mapColumn = new HashMap<>();
    private final Set<String> mapSources = new HashSet<>();
    /** Per source known to the map, its paths and distances to the map's servers, computed on first use. */
    private final Map<String, MapRow> mapRows = new HashMap<>();

    /**
     * @param city     the city as the global stores last saw it
     * @param map      the city's map, for the distance-based path of a link not measured yet
     * @param settings the heartbeat timeout that marks a server down
     */
    public Dispatcher(CityState city, Optional<City> map, SchedulerSettings settings) {
        this.city = Objects.requireNonNull(city, "city");
        this.map = Objects.requireNonNull(map, "map");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = new EdgeweaveRouter(city::weights);
        map.ifPresent(m -> {
            for (int c = 0; c < m.servers().size(); c++) {
                mapColumn.put(m.servers().get(c).id(), c);
                mapSources.add(m.servers().get(c).id());
            }
            m.accessPoints().forEach(ap -> mapSources.add(ap.id()));
        });
    }

    /**
     * The server for an attempt of a prompt, or empty when no server will do. A choice counts in that server's
     * local delta from then on.
     */
    public Optional<Choice> choose(String promptId, ModelSpec model, PromptSize size, String userId,
                                   String accessPointId, double sloSeconds, List<String> excluded, Instant now) {
        NodeCandidates view = build(model, accessPointId, excluded, now);
        RouteRequest request = new RouteRequest(promptId, model, size, userId, accessPointId, sloSeconds,
                LatencyLaws.referenceInferenceSeconds(model, size));
        int c = view.size() == 0 ? -1 : router.choose(request, view);
        if (c < 0) {
            return Optional.empty();
        }
        LatencyBreakdown predicted = EdgeweaveRouter.predict(request, view, c);
        String nodeId = view.serverId(c);
        record(nodeId, view.serverIndex(c));
        return Optional.of(new Choice(nodeId, predicted));
    }

    /**
     * The candidates {@link #choose} would hand the router for a prompt of {@code model} from
     * {@code accessPointId} at {@code now}, local deltas included; nothing is recorded. The view is reused:
     * it is valid until the next call of either method.
     */
    public Candidates candidates(ModelSpec model, String accessPointId, List<String> excluded, Instant now) {
        return build(model, accessPointId, excluded, now);
    }

    private NodeCandidates build(ModelSpec model, String accessPointId, List<String> excluded, Instant now) {
        NodeView[] nodes = city.nodes();
        context.prepare(nodes, accessPointId, model.id());
        view.build(nodes, model, now, settings.heartbeatTimeout().toMillis(), excluded, context);
        return view;
    }

    /**
     * Counts a dispatch of the prepared prompt's model against the server's current state (a state newer than
     * the one the decision saw included: this prompt is not in it either).
     *
     * @param position the server's position in the nodes the decision was built over
     */
    private void record(String nodeId, int position) {
        NodeView server = city.node(nodeId);
        long sequence = server == null ? Long.MIN_VALUE : server.sequence;
        Deltas d = deltas.get(nodeId);
        if (d == null || d.sequence != sequence) {
            d = new Deltas(sequence);
            deltas.put(nodeId, d);
            context.reset(position, sequence);
        }
        d.add(context.slot);
        context.add(position);
    }

    /**
     * What the candidates of one prompt take from this dispatcher, per server position: the network from the
     * prompt's access point (a measured link first, {@code LinkSample}; else the city map's path; else
     * {@link #UNMEASURED}) and the local deltas: of the prompt's model (its queue) and of all models (the
     * server's prompts in flight, as the testbed counts prompts in transit).
     *
     * <p>Cheap per server, since a prompt looks at every one: the map is immutable, so its paths and distances
     * from one source are computed once (a distance is a haversine) and read by column; the map columns and the
     * deltas are kept in flat arrays aligned with the city's server array, re-aligned from {@code deltas} only
     * when that array changes (a heartbeat replaces it) or a new model appears. Measured links are looked up
     * live, since telemetry changes them.
     */
    private final class PromptContext implements NodeCandidates.Context {
        private NodeView[] alignedTo;
        private int[] columnAt = new int[0];
        // The deltas, flat: whether position s has any, of which state, and its count per model slot at
        // s * stride + slot.
        private boolean[] hasDeltas = new boolean[0];
        private long[] deltaSequence = new long[0];
        private int[] deltaCount = new int[0];
        private int[] deltaTotalAt = new int[0];
        private int stride;
        private Map<String, NetworkPath> measured;
        private MapRow row;
        int slot;

        void prepare(NodeView[] nodes, String accessPointId, String modelId) {
            slot = modelSlot.computeIfAbsent(modelId, k -> modelSlot.size());
            if (nodes != alignedTo || slot >= stride) {
                align(nodes);
            }
            measured = city.linksFrom(accessPointId);
            row = map.isEmpty() || !mapSources.contains(accessPointId) ? MapRow.UNKNOWN
                    : mapRows.computeIfAbsent(accessPointId, ap -> MapRow.of(map.get(), ap));
        }

        private void align(NodeView[] nodes) {
            alignedTo = nodes;
            stride = modelSlot.size() + 4;
            columnAt = new int[nodes.length];
            hasDeltas = new boolean[nodes.length];
            deltaSequence = new long[nodes.length];
            deltaCount = new int[nodes.length * stride];
            deltaTotalAt = new int[nodes.length];
            for (int s = 0; s < nodes.length; s++) {
                Integer c = mapColumn.get(nodes[s].id);
                columnAt[s] = c == null ? -1 : c;
                Deltas d = deltas.get(nodes[s].id);
                if (d != null) {
                    hasDeltas[s] = true;
                    deltaSequence[s] = d.sequence;
                    deltaTotalAt[s] = d.total;
                    for (int m = 0; m < stride; m++) {
                        deltaCount[s * stride + m] = d.count(m);
                    }
                }
            }
        }

        /** Position {@code s} starts counting afresh for its server's state {@code sequence}. */
        void reset(int s, long sequence) {
            hasDeltas[s] = true;
            deltaSequence[s] = sequence;
            java.util.Arrays.fill(deltaCount, s * stride, (s + 1) * stride, 0);
            deltaTotalAt[s] = 0;
        }

        /** One more prompt of the prepared model at position {@code s}. */
        void add(int s) {
            deltaCount[s * stride + slot]++;
            deltaTotalAt[s]++;
        }

        @Override
        public NetworkPath path(NodeView server, int position) {
            if (measured != null) {
                NetworkPath p = measured.get(server.id);
                if (p != null) {
                    return p;
                }
            }
            int c = columnAt[position];
            return c < 0 || row == MapRow.UNKNOWN ? UNMEASURED : row.path[c];
        }

        @Override
        public double distanceKm(NodeView server, int position) {
            int c = columnAt[position];
            return c < 0 || row == MapRow.UNKNOWN ? 0.0 : row.distanceKm[c];
        }

        @Override
        public int delta(NodeView server, int position) {
            return hasDeltas[position] && deltaSequence[position] == server.sequence
                    ? deltaCount[position * stride + slot] : 0;
        }

        @Override
        public int deltaTotal(NodeView server, int position) {
            return hasDeltas[position] && deltaSequence[position] == server.sequence ? deltaTotalAt[position] : 0;
        }
    }

    /** The map's paths and distances from one source to each of its servers, by column. */
    private static final class MapRow {
        /** A source the map does not know: every path unmeasured, every distance 0. */
        static final MapRow UNKNOWN = new MapRow(new NetworkPath[0], new double[0]);

        final NetworkPath[] path;
        final double[] distanceKm;

        private MapRow(NetworkPath[] path, double[] distanceKm) {
            this.path = path;
            this.distanceKm = distanceKm;
        }

        static MapRow of(City m, String from) {
            int n = m.servers().size();
            NetworkPath[] path = new NetworkPath[n];
            double[] distance = new double[n];
            for (int c = 0; c < n; c++) {
                String to = m.servers().get(c).id();
                path[c] = defaultPath(m, from, to);
                distance[c] = distance(m, from, to);
            }
            return new MapRow(path, distance);
        }
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

    /** Dispatches to one server since its state of {@code sequence}, per model slot. */
    private static final class Deltas {
        final long sequence;
        private int[] byModel = new int[4];
        int total;

        Deltas(long sequence) {
            this.sequence = sequence;
        }

        int count(int slot) {
            return slot < byModel.length ? byModel[slot] : 0;
        }

        void add(int slot) {
            if (slot >= byModel.length) {
                byModel = java.util.Arrays.copyOf(byModel, Math.max(slot + 1, 2 * byModel.length));
            }
            byModel[slot]++;
            total++;
        }
    }
}
