package dev.edgeweave.agents;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.placement.Placement;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks every decision, from any brain, before it takes effect (DESIGN.md, "Agents"): servers and models
 * exist, memory fits on every GPU, weights are in range, churn is within its limit, no down server is used.
 * Each check returns its findings, one readable line each; an empty list means the decision may stand.
 */
public final class Guard {

    private final ModelCatalog catalog;
    private final int maxChangesPerServer;

    /**
     * @param catalog             the models that exist
     * @param maxChangesPerServer loads plus unloads a plan may ask of one server in one period
     */
    public Guard(ModelCatalog catalog, int maxChangesPerServer) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (maxChangesPerServer < 0) {
            throw new IllegalArgumentException("maxChangesPerServer must be >= 0");
        }
        this.maxChangesPerServer = maxChangesPerServer;
    }

    /** Findings against a short-term decision. */
    public List<String> check(SchedulingSituation s, SchedulingDecision d) {
        List<String> findings = new ArrayList<>();
        RoutingWeights w = d.weights();
        w.classWeights().forEach((c, v) -> {
            if (!(v >= RoutingWeights.MIN_WEIGHT && v <= RoutingWeights.MAX_WEIGHT)) {
                findings.add("weight of " + c + " is " + v + ", outside [" + RoutingWeights.MIN_WEIGHT + ", "
                        + RoutingWeights.MAX_WEIGHT + "]");
            }
        });
        Set<String> known = new HashSet<>();
        s.servers().forEach(l -> known.add(l.serverId()));
        for (String x : w.excluded()) {
            if (!known.contains(x)) {
                findings.add("excludes unknown server " + x);
            }
        }
        for (String x : w.maxQueued().keySet()) {
            if (!known.contains(x)) {
                findings.add("caps unknown server " + x);
            }
        }
        long usable = s.servers().stream().filter(l -> l.up() && !w.excluded().contains(l.serverId())).count();
        if (!s.servers().isEmpty() && usable == 0) {
            findings.add("excludes every server that is up");
        }
        return findings;
    }

    /** Findings against a placement plan. */
    public List<String> check(PlanningSituation s, PlanningDecision d) {
        List<String> findings = new ArrayList<>();
        Map<String, EdgeServer> servers = new HashMap<>();
        s.servers().forEach(x -> servers.put(x.id(), x));
        Placement next = d.placement();
        next.byServer().forEach((serverId, deployments) -> {
            EdgeServer server = servers.get(serverId);
            if (server == null) {
                findings.add("places models on unknown server " + serverId);
                return;
            }
            if (s.down().contains(serverId)) {
                findings.add("places models on down server " + serverId);
            }
            findings.addAll(memoryFindings(server, deployments));
        });
        for (EdgeServer server : s.servers()) {
            int changes = changes(s.current().deploymentsOf(server.id()), next.deploymentsOf(server.id()));
            if (!s.down().contains(server.id()) && changes > maxChangesPerServer) {
                findings.add("asks " + changes + " loads and unloads of " + server.id() + ", over the churn limit "
                        + maxChangesPerServer);
            }
        }
        return findings;
    }

    /** Findings against one server's deployment plan, given what it holds now. */
    public List<String> check(DeploymentSituation s, DeploymentDecision d) {
        List<String> findings = new ArrayList<>();
        EdgeServer server = s.server();
        long[] used = new long[server.gpus().size()];
        Map<String, Integer> gpuOf = new HashMap<>();
        for (OnNodePacker.Current c : s.current()) {
            ModelSpec m = catalog.find(c.modelId()).orElse(null);
            if (m != null && c.gpuIndex() >= 0 && c.gpuIndex() < used.length) {
                used[c.gpuIndex()] += m.memoryBytes();
                gpuOf.put(c.modelId(), c.gpuIndex());
            }
        }
        for (OnNodePacker.Action a : d.plan().actions()) {
            ModelSpec m = catalog.find(a.modelId()).orElse(null);
            if (m == null) {
                findings.add(a.kind() + " of unknown model " + a.modelId());
                continue;
            }
            if (a.gpuIndex() < 0 || a.gpuIndex() >= used.length) {
                findings.add(a.kind() + " of " + a.modelId() + " on GPU " + a.gpuIndex() + ", which "
                        + server.id() + " does not have");
                continue;
            }
            if (a.kind() == OnNodePacker.Action.Kind.LOAD) {
                if (gpuOf.containsKey(a.modelId())) {
                    findings.add("loads " + a.modelId() + " which " + server.id() + " holds already");
                }
                used[a.gpuIndex()] += m.memoryBytes();
                gpuOf.put(a.modelId(), a.gpuIndex());
            } else if (!gpuOf.containsKey(a.modelId())) {
                findings.add(a.kind() + " of " + a.modelId() + " which " + server.id() + " does not hold");
            }
            if (a.concurrency() < 1) {
                findings.add(a.kind() + " of " + a.modelId() + " with concurrency " + a.concurrency());
            }
            if (!(a.shareWeight() > 0) || Double.isInfinite(a.shareWeight())) {
                findings.add(a.kind() + " of " + a.modelId() + " with share weight " + a.shareWeight());
            }
        }
        for (int g = 0; g < used.length; g++) {
            long memory = server.gpus().get(g).memoryBytes();
            if (used[g] > memory) {
                findings.add(String.format("GPU %d of %s would hold %.1f GB of %.1f GB", g, server.id(),
                        used[g] / 1e9, memory / 1e9));
            }
        }
        return findings;
    }

    private List<String> memoryFindings(EdgeServer server, List<Deployment> deployments) {
        List<String> findings = new ArrayList<>();
        long[] used = new long[server.gpus().size()];
        for (Deployment dep : deployments) {
            ModelSpec m = catalog.find(dep.modelId()).orElse(null);
            if (m == null) {
                findings.add("places unknown model " + dep.modelId() + " on " + server.id());
                continue;
            }
            if (dep.gpuIndex() >= used.length) {
                findings.add("places " + dep.modelId() + " on GPU " + dep.gpuIndex() + " of " + server.id()
                        + ", which has " + used.length);
                continue;
            }
            used[dep.gpuIndex()] += m.memoryBytes();
        }
        for (int g = 0; g < used.length; g++) {
            long memory = server.gpus().get(g).memoryBytes();
            if (used[g] > memory) {
                findings.add(String.format("GPU %d of %s would hold %.1f GB of %.1f GB", g, server.id(),
                        used[g] / 1e9, memory / 1e9));
            }
        }
        return findings;
    }

    private static int changes(List<Deployment> before, List<Deployment> after) {
        Set<String> a = new HashSet<>();
        before.forEach(d -> a.add(d.modelId()));
        Set<String> b = new HashSet<>();
        after.forEach(d -> b.add(d.modelId()));
        int n = 0;
        for (String m : a) {
            if (!b.contains(m)) {
                n++;
            }
        }
        for (String m : b) {
            if (!a.contains(m)) {
                n++;
            }
        }
        return n;
    }
}
