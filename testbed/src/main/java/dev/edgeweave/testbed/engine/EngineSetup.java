package dev.edgeweave.testbed.engine;

import dev.edgeweave.core.city.AccessPoint;
import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.placement.PlacementPlanner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about a scenario that is the same for every policy and seed: the city, its servers, the models,
 * the network paths from every access point to every server, the static placement and the scenario's
 * capacity. Built once per evaluation.
 */
public final class EngineSetup {

    /** DESIGN.md defaults. */
    public static final int MAX_ATTEMPTS = 3;
    public static final double HEARTBEAT_SECONDS = 1.0;
    public static final int MISSED_HEARTBEATS = 3;
    public static final double SHORT_PERIOD_SECONDS = 10.0;
    public static final double LONG_PERIOD_SECONDS = 60.0;
    public static final double DEMAND_WINDOW_SECONDS = 300.0;

    private final City city;
    private final List<EdgeServer> servers;
    private final List<ModelSpec> models;
    private final ModelCatalog catalog;
    private final Map<String, Integer> modelIndex = new HashMap<>();
    private final List<ModelDemand> mix;
    private final Placement staticPlacement;
    private final double capacity;
    private final NetworkPath[][] paths;
    private final double[][] distanceKm;

    /**
     * @param city    the city (access points, sites, servers, measured links)
     * @param catalog the scenario's models
     * @param mix     each model's share of the arrivals and typical prompt: the static placement's demand
     */
    public EngineSetup(City city, ModelCatalog catalog, List<ModelDemand> mix) {
        this.city = Objects.requireNonNull(city, "city");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.servers = city.servers();
        this.models = catalog.models();
        for (int i = 0; i < models.size(); i++) {
            modelIndex.put(models.get(i).id(), i);
        }
        this.mix = List.copyOf(mix);
        this.staticPlacement = PlacementPlanner.plan(servers, this.mix, Placement.EMPTY, PlacementPlanner.STATIC);
        this.capacity = PlacementPlanner.capacity(servers, staticPlacement, this.mix);
        List<AccessPoint> aps = city.accessPoints();
        paths = new NetworkPath[aps.size()][servers.size()];
        distanceKm = new double[aps.size()][servers.size()];
        for (int a = 0; a < aps.size(); a++) {
            for (int s = 0; s < servers.size(); s++) {
                paths[a][s] = city.path(aps.get(a).id(), servers.get(s).id());
                distanceKm[a][s] = aps.get(a).location()
                        .distanceKm(city.requireSite(servers.get(s).siteId()).location());
            }
        }
    }

    public City city() {
        return city;
    }

    public List<EdgeServer> servers() {
        return servers;
    }

    public List<ModelSpec> models() {
        return models;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public int modelIndex(String modelId) {
        Integer i = modelIndex.get(modelId);
        if (i == null) {
            throw new IllegalArgumentException("model " + modelId + " is not in the scenario");
        }
        return i;
    }

    public List<ModelDemand> mix() {
        return mix;
    }

    /** The placement every baseline shares, computed once from the scenario's mix. */
    public Placement staticPlacement() {
        return staticPlacement;
    }

    /**
     * The largest total arrival rate, in the scenario's mix, that the static placement serves with every
     * GPU's utilisation below 1 (prompts per second).
     */
    public double capacity() {
        return capacity;
    }

    public NetworkPath path(int accessPoint, int server) {
        return paths[accessPoint][server];
    }

    public double distanceKm(int accessPoint, int server) {
        return distanceKm[accessPoint][server];
    }
}
