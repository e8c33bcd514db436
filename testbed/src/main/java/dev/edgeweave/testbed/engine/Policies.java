package dev.edgeweave.testbed.engine;

import dev.edgeweave.core.routing.EdgeweaveRouter;
import dev.edgeweave.core.routing.baseline.Baselines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 19 rows of the evaluation: edgeweave, its two ablations, and the 8 peer baselines each with the static
 * placement and with Ollama-style on-demand loading.
 */
public final class Policies {

    public static final String EDGEWEAVE = "edgeweave";
    public static final String ROUTER_ONLY = "edgeweave/router-only";
    public static final String NO_FAIRNESS = "edgeweave/no-fairness";

    private static final Map<String, PolicySpec> ALL = build();

    private Policies() {
    }

    private static Map<String, PolicySpec> build() {
        Map<String, PolicySpec> m = new LinkedHashMap<>();
        m.put(EDGEWEAVE, new PolicySpec(EDGEWEAVE, (seed, w) -> new EdgeweaveRouter(w), PlacementMode.AGENTS,
                true, true));
        m.put(ROUTER_ONLY, new PolicySpec(ROUTER_ONLY, (seed, w) -> new EdgeweaveRouter(w), PlacementMode.STATIC,
                true, false));
        m.put(NO_FAIRNESS, new PolicySpec(NO_FAIRNESS, (seed, w) -> new EdgeweaveRouter(w), PlacementMode.AGENTS,
                false, true));
        for (String baseline : Baselines.names()) {
            m.put(baseline + "/static", new PolicySpec(baseline + "/static",
                    (seed, w) -> Baselines.create(baseline, seed), PlacementMode.STATIC, false, false));
            m.put(baseline + "/ondemand", new PolicySpec(baseline + "/ondemand",
                    (seed, w) -> Baselines.create(baseline, seed), PlacementMode.ONDEMAND, false, true));
        }
        return m;
    }

    /** Every row name, edgeweave's first. */
    public static List<String> names() {
        return new ArrayList<>(ALL.keySet());
    }

    /**
     * The rows named in {@code list}: {@code all}, or comma-separated names.
     *
     * @throws IllegalArgumentException naming an unknown policy and listing the known ones
     */
    public static List<PolicySpec> parse(String list) {
        if (list == null || list.isBlank() || list.trim().equals("all")) {
            return new ArrayList<>(ALL.values());
        }
        List<PolicySpec> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            PolicySpec p = ALL.get(name);
            if (p == null) {
                throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + String.join(", ",
                        ALL.keySet()));
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
