package dev.edgeweave.core.city;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A city's edge: access points, edge sites, the servers at them, and the network paths between them.
 * Immutable.
 *
 * <p><b>Paths.</b> {@link #path} answers for an access point → server or a server → server link. Until a
 * link is measured it is the distance-based default:
 * <ul>
 *   <li>access point → server: the radio leg ({@link RadioTech}: RTT, uplink, downlink) plus the fibre RTT
 *       from the access point to the server's site ({@link Fibre}); the radio is the bandwidth bottleneck;</li>
 *   <li>server → server: the fibre RTT between their sites, {@link Fibre#SERVER_LINK_BITS_PER_SECOND} both
 *       ways; a server to itself is {@link NetworkPath#LOOPBACK}.</li>
 * </ul>
 * <b>A measured value overrides the default</b>: {@link #withMeasured} returns a city in which live
 * {@code LinkSample} telemetry replaces the estimate for that link, and {@link #withDefault} reverts it (for
 * a sample gone stale).
 *
 * <p><b>Cost.</b> Defaults are computed once, at construction, into a matrix of (access points + servers) ×
 * servers, so {@link #path} is two hash look-ups and an array read with no allocation. An update copies the
 * outer array and one row: O(access points + servers), not O(links), so applying a sample stays cheap in a
 * city of thousands of cells; {@link #withMeasured(Map)} applies a batch with one copy per touched row.
 */
public final class City {

    private final List<AccessPoint> accessPoints;
    private final List<EdgeSite> sites;
    private final List<EdgeServer> servers;
    private final Map<String, AccessPoint> accessPointById;
    private final Map<String, EdgeSite> siteById;
    private final Map<String, EdgeServer> serverById;
    /** Row of a link source: access points first, then servers. */
    private final Map<String, Integer> rowById;
    /** Column of a link target: servers. */
    private final Map<String, Integer> columnById;
    private final NetworkPath[][] defaults;
    private final NetworkPath[][] paths;

    /**
     * A city of these access points, sites and servers. Ids must be unique across all three (a link key
     * {@code from/to} must be unambiguous), and every server's site must exist; otherwise an
     * {@link IllegalArgumentException} names the offending id.
     */
    public City(List<AccessPoint> accessPoints, List<EdgeSite> sites, List<EdgeServer> servers) {
        this.accessPoints = List.copyOf(Objects.requireNonNull(accessPoints, "accessPoints"));
        this.sites = List.copyOf(Objects.requireNonNull(sites, "sites"));
        this.servers = List.copyOf(Objects.requireNonNull(servers, "servers"));

        Map<String, String> kindById = new HashMap<>();
        accessPointById = new HashMap<>();
        siteById = new HashMap<>();
        serverById = new HashMap<>();
        for (AccessPoint ap : this.accessPoints) {
            claim(kindById, ap.id(), "access point");
            accessPointById.put(ap.id(), ap);
        }
        for (EdgeSite site : this.sites) {
            claim(kindById, site.id(), "edge site");
            siteById.put(site.id(), site);
        }
        for (EdgeServer server : this.servers) {
            claim(kindById, server.id(), "edge server");
            if (!siteById.containsKey(server.siteId())) {
                throw new IllegalArgumentException("edge server '" + server.id() + "' names unknown site '"
                        + server.siteId() + "'; known sites: " + siteById.keySet());
            }
            serverById.put(server.id(), server);
        }

        rowById = new HashMap<>();
        columnById = new HashMap<>();
        for (AccessPoint ap : this.accessPoints) {
            rowById.put(ap.id(), rowById.size());
        }
        for (EdgeServer server : this.servers) {
            rowById.put(server.id(), rowById.size());
            columnById.put(server.id(), columnById.size());
        }
        defaults = computeDefaults();
        paths = defaults;
    }

    private City(City base, NetworkPath[][] paths) {
        this.accessPoints = base.accessPoints;
        this.sites = base.sites;
        this.servers = base.servers;
        this.accessPointById = base.accessPointById;
        this.siteById = base.siteById;
        this.serverById = base.serverById;
        this.rowById = base.rowById;
        this.columnById = base.columnById;
        this.defaults = base.defaults;
        this.paths = paths;
    }

    private static void claim(Map<String, String> kindById, String id, String kind) {
        String previous = kindById.putIfAbsent(id, kind);
        if (previous != null) {
            throw new IllegalArgumentException("duplicate id '" + id + "': used by an " + previous
                    + " and an " + kind + "; ids must be unique across the city");
        }
    }

    /** An id usable as half of a link key: not blank and without '/'. */
    static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " id must not be blank");
        }
        if (id.indexOf('/') >= 0) {
            throw new IllegalArgumentException(what + " id '" + id + "' must not contain '/' (it separates link keys)");
        }
    }

    private NetworkPath[][] computeDefaults() {
        NetworkPath[][] out = new NetworkPath[rowById.size()][servers.size()];
        int row = 0;
        for (AccessPoint ap : accessPoints) {
            RadioTech radio = ap.radio();
            for (int col = 0; col < servers.size(); col++) {
                GeoPoint site = siteOf(servers.get(col)).location();
                double rtt = radio.defaultRttSeconds() + Fibre.rttSeconds(ap.location().distanceKm(site));
                out[row][col] = new NetworkPath(rtt, radio.uplinkBitsPerSecond(), radio.downlinkBitsPerSecond(), false);
            }
            row++;
        }
        for (EdgeServer from : servers) {
            GeoPoint origin = siteOf(from).location();
            for (int col = 0; col < servers.size(); col++) {
                EdgeServer to = servers.get(col);
                out[row][col] = from == to
                        ? NetworkPath.LOOPBACK
                        : new NetworkPath(Fibre.rttSeconds(origin.distanceKm(siteOf(to).location())),
                                Fibre.SERVER_LINK_BITS_PER_SECOND, Fibre.SERVER_LINK_BITS_PER_SECOND, false);
            }
            row++;
        }
        return out;
    }

    private EdgeSite siteOf(EdgeServer server) {
        return siteById.get(server.siteId());
    }

    // ---- paths -------------------------------------------------------------------------------------------

    /** The path from an access point or server to a server: the measured one if any, else the default. */
    public NetworkPath path(String fromId, String toServerId) {
        return paths[row(fromId)][column(toServerId)];
    }

    /** The distance-based default path, whatever has been measured. */
    public NetworkPath defaultPath(String fromId, String toServerId) {
        return defaults[row(fromId)][column(toServerId)];
    }

    /** A city in which the link {@code from → to} is {@code measured} (which must be flagged measured). */
    public City withMeasured(String fromId, String toServerId, NetworkPath measured) {
        return withMeasured(Map.of(new Link(fromId, toServerId), measured));
    }

    /** A city with every link of {@code measured} replaced by its measured path. */
    public City withMeasured(Map<Link, NetworkPath> measured) {
        NetworkPath[][] next = paths.clone();
        boolean[] copied = new boolean[next.length];
        for (Map.Entry<Link, NetworkPath> e : measured.entrySet()) {
            Link link = e.getKey();
            NetworkPath path = Objects.requireNonNull(e.getValue(), "path of link " + link);
            if (!path.measured()) {
                throw new IllegalArgumentException("path for link " + link
                        + " is not flagged measured; only telemetry overrides a default");
            }
            int r = row(link.from());
            int c = column(link.to());
            if (!copied[r]) {
                next[r] = next[r].clone();
                copied[r] = true;
            }
            next[r][c] = path;
        }
        return new City(this, next);
    }

    /** A city in which the link {@code from → to} is back to its distance-based default. */
    public City withDefault(String fromId, String toServerId) {
        int r = row(fromId);
        int c = column(toServerId);
        if (paths[r][c] == defaults[r][c]) {
            return this;
        }
        NetworkPath[][] next = paths.clone();
        next[r] = next[r].clone();
        next[r][c] = defaults[r][c];
        return new City(this, next);
    }

    /** The links whose path is currently measured. */
    public List<Link> measuredLinks() {
        List<Link> out = new ArrayList<>();
        for (Map.Entry<String, Integer> from : rowById.entrySet()) {
            NetworkPath[] row = paths[from.getValue()];
            for (Map.Entry<String, Integer> to : columnById.entrySet()) {
                if (row[to.getValue()].measured()) {
                    out.add(new Link(from.getKey(), to.getKey()));
                }
            }
        }
        return out;
    }

    private int row(String fromId) {
        Integer r = rowById.get(fromId);
        if (r == null) {
            throw new IllegalArgumentException("unknown link source '" + fromId
                    + "': not an access point or edge server of this city");
        }
        return r;
    }

    private int column(String toServerId) {
        Integer c = columnById.get(toServerId);
        if (c == null) {
            throw new IllegalArgumentException("unknown link target '" + toServerId
                    + "': not an edge server of this city; known servers: " + columnById.keySet());
        }
        return c;
    }

    // ---- parts -------------------------------------------------------------------------------------------

    /** The access points, in the order given. */
    public List<AccessPoint> accessPoints() {
        return accessPoints;
    }

    /** The edge sites, in the order given. */
    public List<EdgeSite> sites() {
        return sites;
    }

    /** The edge servers, in the order given. */
    public List<EdgeServer> servers() {
        return servers;
    }

    /** The access point with this id; an exception naming the id otherwise. */
    public AccessPoint requireAccessPoint(String id) {
        AccessPoint ap = accessPointById.get(id);
        if (ap == null) {
            throw new IllegalArgumentException("unknown access point '" + id + "'");
        }
        return ap;
    }

    /** The site with this id; an exception naming the id otherwise. */
    public EdgeSite requireSite(String id) {
        EdgeSite site = siteById.get(id);
        if (site == null) {
            throw new IllegalArgumentException("unknown edge site '" + id + "'; known sites: " + siteById.keySet());
        }
        return site;
    }

    /** The server with this id; an exception naming the id otherwise. */
    public EdgeServer requireServer(String id) {
        EdgeServer server = serverById.get(id);
        if (server == null) {
            throw new IllegalArgumentException("unknown edge server '" + id + "'; known servers: "
                    + serverById.keySet());
        }
        return server;
    }
}
