package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.ClassStats;
import dev.edgeweave.agents.DeploymentSituation;
import dev.edgeweave.agents.PlanningSituation;
import dev.edgeweave.agents.SchedulingSituation;
import dev.edgeweave.agents.ServerLoad;
import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.placement.Deployment;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.core.placement.OnNodePacker;
import dev.edgeweave.core.routing.RoutingWeights;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Situations as a language model reads them: compact Markdown tables of numbers, the same text for the same
 * situation (fixed decimals, {@link Locale#ROOT}, rows in class order, catalog order or sorted by server id, GPU
 * index or model id),
 * so a prompt can be pinned by a golden file and the experience memory sees equal situations as equal.
 *
 * <p>Numbers only: situations hold telemetry and aggregates, never a prompt's content, and nothing else is
 * added here. Memory is in GB (10⁹ bytes, two decimals), latency in seconds (three decimals), shares of a
 * resource in [0, 1] (two decimals).
 */
public final class SituationTables {

    private static final double GB = 1e9;

    private SituationTables() {
    }

    /**
     * The short-term situation: per class its prompts, latency, slowdown and weight in the last window (every
     * class, those without prompts marked {@code -}); per server its load; the exclusions and queue caps in force.
     */
    public static String scheduling(SchedulingSituation s) {
        StringBuilder out = new StringBuilder();
        out.append("window ending at ").append(fixed(s.windowEnd(), 1)).append(" s (city time)\n\n");
        out.append("classes in the window (slowdown = latency / inference alone on the reference GPU)\n");
        Table classes = new Table("class", "prompts", "mean latency s", "p95 latency s", "mean slowdown", "weight");
        for (ModelClass c : ModelClass.values()) {
            ClassStats st = s.classes().get(c);
            String weight = fixed(s.current().weight(c), 2);
            if (st == null) {
                classes.row(c.name(), "0", "-", "-", "-", weight);
            } else {
                classes.row(c.name(), Long.toString(st.count()), fixed(st.meanLatencySeconds(), 3),
                        fixed(st.p95LatencySeconds(), 3), fixed(st.meanSlowdown(), 2), weight);
            }
        }
        out.append(classes).append('\n');
        out.append("servers in the window (busy = share of GPU time busy, memory = share of GPU memory in use)\n");
        Table servers = new Table("server", "up", "queued", "running", "busy", "memory");
        s.servers().stream().sorted(Comparator.comparing(ServerLoad::serverId)).forEach(l -> servers.row(
                l.serverId(), yesNo(l.up()), Integer.toString(l.queued()), Integer.toString(l.running()),
                fixed(l.utilisation(), 2), fixed(l.memoryUtilisation(), 2)));
        out.append(servers).append('\n');
        out.append(routingExtras(s.current()));
        return out.toString();
    }

    /**
     * The long-term situation: one row per GPU of every server (up or down, its memory, what it holds), every
     * model with its memory and the demand for it, and the class weights in force.
     *
     * @param catalog the models, for their memory (and to list the models without demand)
     */
    public static String planning(PlanningSituation s, ModelCatalog catalog) {
        StringBuilder out = new StringBuilder();
        out.append("now ").append(fixed(s.now(), 1)).append(" s (city time)\n\n");
        out.append("GPUs of every server (a down server holds nothing and gets nothing; holds = model x slots)\n");
        Table gpus = new Table("server", "up", "gpu", "type", "memory GB", "held GB", "holds");
        s.servers().stream().sorted(Comparator.comparing(EdgeServer::id)).forEach(server -> {
            List<Deployment> held = s.current().deploymentsOf(server.id());
            for (int g = 0; g < server.gpus().size(); g++) {
                GpuType gpu = server.gpus().get(g);
                long bytes = 0;
                StringJoiner holds = new StringJoiner(", ");
                for (Deployment d : sortedByModel(held)) {
                    if (d.gpuIndex() == g) {
                        bytes += catalog.find(d.modelId()).map(ModelSpec::memoryBytes).orElse(0L);
                        holds.add(d.modelId() + " x" + d.concurrency());
                    }
                }
                gpus.row(server.id(), yesNo(!s.down().contains(server.id())), Integer.toString(g), gpu.id(),
                        gigabytes(gpu.memoryBytes()), gigabytes(bytes), holds.length() == 0 ? "-" : holds.toString());
            }
        });
        out.append(gpus).append('\n');
        out.append("models (memory = GPU memory a deployment holds; rate = prompts/s asked for over the window)\n");
        Map<String, ModelDemand> demand = new TreeMap<>();
        s.demand().forEach(d -> demand.merge(d.model().id(), d, (a, b) -> a));
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        catalog.models().forEach(m -> models.put(m.id(), m));
        demand.values().forEach(d -> models.putIfAbsent(d.model().id(), d.model()));
        Table table = new Table("model", "class", "memory GB", "rate /s", "typical prompt");
        models.values().forEach(m -> {
            ModelDemand d = demand.get(m.id());
            table.row(m.id(), m.modelClass().name(), gigabytes(m.memoryBytes()),
                    d == null ? fixed(0, 3) : fixed(d.rate(), 3), d == null ? "-" : promptSize(d.typical()));
        });
        out.append(table).append('\n');
        out.append("class weights (a class's placement priority): ").append(weights(s.weights())).append('\n');
        return out.toString();
    }

    /**
     * The on-node situation: the server's GPUs with the memory held on each, what it holds now (with prompts in
     * flight and whether draining), and its part of the plan.
     *
     * @param catalog the models, for their memory
     */
    public static String deployment(DeploymentSituation s, ModelCatalog catalog) {
        EdgeServer server = s.server();
        StringBuilder out = new StringBuilder();
        out.append("server ").append(server.id()).append('\n');
        Table gpus = new Table("gpu", "type", "memory GB", "held GB");
        for (int g = 0; g < server.gpus().size(); g++) {
            long bytes = 0;
            for (OnNodePacker.Current c : s.current()) {
                if (c.gpuIndex() == g) {
                    bytes += catalog.find(c.modelId()).map(ModelSpec::memoryBytes).orElse(0L);
                }
            }
            gpus.row(Integer.toString(g), server.gpus().get(g).id(), gigabytes(server.gpus().get(g).memoryBytes()),
                    gigabytes(bytes));
        }
        out.append(gpus).append('\n');
        out.append("held now (a draining model finishes its prompts in flight, then frees its memory)\n");
        Table held = new Table("model", "gpu", "slots", "share", "in flight", "draining", "memory GB");
        s.current().stream().sorted(Comparator.comparing(OnNodePacker.Current::modelId)).forEach(c -> held.row(
                c.modelId(), Integer.toString(c.gpuIndex()), Integer.toString(c.concurrency()),
                fixed(c.shareWeight(), 2), Integer.toString(c.inFlight()), yesNo(c.draining()),
                memoryOf(catalog, c.modelId())));
        out.append(held.isEmpty() ? "(nothing)\n" : held.toString()).append('\n');
        out.append("target: this server's part of the plan\n");
        Table target = new Table("model", "gpu", "slots", "share", "memory GB");
        sortedByModel(s.target()).forEach(d -> target.row(d.modelId(), Integer.toString(d.gpuIndex()),
                Integer.toString(d.concurrency()), fixed(d.shareWeight(), 2), memoryOf(catalog, d.modelId())));
        out.append(target.isEmpty() ? "(nothing)\n" : target.toString());
        return out.toString();
    }

    /**
     * Recalled experiences, most similar first: each past situation as it was seen, the decision taken and the
     * outcome measured one period later.
     */
    public static String experiences(List<Experience> recalled) {
        if (recalled.isEmpty()) {
            return "(none yet)\n";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < recalled.size(); i++) {
            Experience e = recalled.get(i);
            if (i > 0) {
                out.append('\n');
            }
            out.append("### past situation ").append(i + 1).append(" (at ").append(fixed(e.at(), 1))
                    .append(" s)\n");
            out.append(e.situation().strip()).append("\n\n");
            out.append("decision taken: ").append(e.decision().strip()).append('\n');
            out.append("outcome one period later: ")
                    .append(e.outcome().isBlank() ? "not measured" : e.outcome().strip()).append('\n');
        }
        return out.toString();
    }

    /** The class weights in class order, e.g. {@code CHAT 1.00, VISION_LANGUAGE 2.50, ...}; unset ones 1. */
    static String weights(RoutingWeights w) {
        StringJoiner j = new StringJoiner(", ");
        for (ModelClass c : ModelClass.values()) {
            j.add(c.name() + " " + fixed(w.weight(c), 2));
        }
        return j.toString();
    }

    /** A prompt's nonzero sizes, e.g. {@code in 800 tok, out 200 tok} or {@code 1 img 0.79 MP, audio 20.0 s}. */
    static String promptSize(PromptSize p) {
        StringJoiner j = new StringJoiner(", ");
        if (p.inputTokens() > 0) {
            j.add("in " + p.inputTokens() + " tok");
        }
        if (p.images() > 0) {
            j.add(p.images() + " img " + fixed(p.imagePixels() / 1e6, 2) + " MP");
        }
        if (p.audioSeconds() > 0) {
            j.add("audio " + fixed(p.audioSeconds(), 1) + " s");
        }
        if (p.outputTokens() > 0) {
            j.add("out " + p.outputTokens() + " tok");
        }
        if (p.steps() > 0) {
            j.add(p.steps() + " steps");
        }
        if (p.outputPixels() > 0) {
            j.add("image " + fixed(p.outputPixels() / 1e6, 2) + " MP");
        }
        return j.length() == 0 ? "-" : j.toString();
    }

    private static String routingExtras(RoutingWeights w) {
        String excluded = w.excluded().isEmpty() ? "none" : String.join(", ", new TreeSet<>(w.excluded()));
        StringJoiner caps = new StringJoiner(", ");
        new TreeMap<>(w.maxQueued()).forEach((server, cap) -> caps.add(server + " " + cap));
        return "excluded servers: " + excluded + "\nqueue caps: " + (caps.length() == 0 ? "none" : caps) + "\n";
    }

    private static List<Deployment> sortedByModel(List<Deployment> deployments) {
        List<Deployment> sorted = new ArrayList<>(deployments);
        sorted.sort(Comparator.comparing(Deployment::modelId).thenComparingInt(Deployment::gpuIndex));
        return sorted;
    }

    private static String memoryOf(ModelCatalog catalog, String modelId) {
        return catalog.find(modelId).map(m -> gigabytes(m.memoryBytes())).orElse("unknown model");
    }

    private static String gigabytes(long bytes) {
        return fixed(bytes / GB, 2);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** {@code x} with {@code decimals} decimals in {@link Locale#ROOT}; {@code -} when not a finite number. */
    static String fixed(double x, int decimals) {
        if (!Double.isFinite(x)) {
            return "-";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", x);
        // -0.00 reads as a sign that means nothing.
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }

    /** A Markdown table: a header row, the separator, then the rows, cells as given. */
    private static final class Table {
        private final String[] header;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            this.header = header;
        }

        void row(String... cells) {
            if (cells.length != header.length) {
                throw new IllegalStateException("row of " + cells.length + " cells in a table of " + header.length);
            }
            rows.add(cells);
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            line(out, header);
            out.append('|');
            for (int i = 0; i < header.length; i++) {
                out.append("---|");
            }
            out.append('\n');
            rows.forEach(r -> line(out, r));
            return out.toString();
        }

        private static void line(StringBuilder out, String[] cells) {
            out.append('|');
            for (String c : cells) {
                out.append(' ').append(c.replace("|", "/")).append(" |");
            }
            out.append('\n');
        }
    }
}
