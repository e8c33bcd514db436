package dev.edgeweave.testbed.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads {@code summary.json}: the header keys, then {@code policies}, one object per policy in the
 * order given, each with the keys of {@link PolicySummary} in its component order.
 *
 * <p>The file is deterministic: keys in a fixed order, doubles rounded to 6 significant digits, {@code \n} line
 * ends, so the same seeds give the same file apart from {@code wallSeconds}. A value that does not exist
 * ({@code NaN}: no prompt to measure) is written {@code null}, as JSON has no NaN. The tree is built by hand
 * rather than by binding the records, so a renamed record component cannot silently rename a key that
 * downstream tools read.
 */
public final class SummaryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private SummaryJson() {
    }

    /** Writes {@code rows} under {@code header} to {@code file}, replacing it. */
    public static void write(Path file, SummaryHeader header, List<PolicySummary> rows) throws IOException {
        write(file, header, rows, root -> { });
    }

    /**
     * Writes {@code rows} under {@code header}, then the keys {@code extra} adds to the root (the lab's
     * {@code pipeline} block); {@link #read} ignores them.
     */
    public static void write(Path file, SummaryHeader header, List<PolicySummary> rows,
                             java.util.function.Consumer<ObjectNode> extra) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("scenario", header.scenario());
        root.put("scenarioSha256", header.scenarioSha256());
        root.put("gitCommit", header.gitCommit());
        root.put("seeds", header.seeds());
        putDouble(root, "load", header.load());
        root.put("prompts", header.prompts());
        putDouble(root, "wallSeconds", header.wallSeconds());
        ArrayNode policies = root.putArray("policies");
        for (PolicySummary p : rows) {
            policies.add(toJson(p));
        }
        extra.accept(root);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            MAPPER.writer(printer).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, root);
            out.write('\n');
        }
    }

    /** Reads a file {@link #write} wrote (extra keys are ignored). */
    public static SummaryFile read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a summary: no JSON object");
        }
        SummaryHeader header = new SummaryHeader(
                text(root, "scenario"),
                text(root, "scenarioSha256"),
                text(root, "gitCommit"),
                root.path("seeds").asInt(),
                dbl(root, "load"),
                root.path("prompts").asLong(),
                dbl(root, "wallSeconds"));
        List<PolicySummary> rows = new ArrayList<>();
        for (JsonNode p : root.path("policies")) {
            rows.add(fromJson(p));
        }
        return new SummaryFile(header, rows);
    }

    private static ObjectNode toJson(PolicySummary p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", p.name());
        putDouble(o, "meanLatencyS", p.meanLatencyS());
        putDouble(o, "p50LatencyS", p.p50LatencyS());
        putDouble(o, "p95LatencyS", p.p95LatencyS());
        putDouble(o, "p99LatencyS", p.p99LatencyS());
        ArrayNode seedMeans = o.putArray("seedMeanLatencyS");
        for (double v : p.seedMeanLatencyS()) {
            Double rounded = round(v);
            if (rounded == null) {
                seedMeans.addNull();
            } else {
                seedMeans.add(rounded.doubleValue());
            }
        }
        putDouble(o, "sloAttainment", p.sloAttainment());
        putDouble(o, "normalizedJainSlowdown", p.normalizedJainSlowdown());
        putDouble(o, "normalizedJainLatency", p.normalizedJainLatency());
        putDouble(o, "normalizedJainUsers", p.normalizedJainUsers());
        o.put("completed", p.completed());
        o.put("rejected", p.rejected());
        o.put("lost", p.lost());
        o.put("rerouted", p.rerouted());
        putDouble(o, "backlogAtEndS", p.backlogAtEndS());
        putDouble(o, "recoverySeconds", p.recoverySeconds() == null ? Double.NaN : p.recoverySeconds());
        if (p.recovered() == null) {
            o.putNull("recovered");
        } else {
            o.put("recovered", p.recovered().booleanValue());
        }
        ObjectNode perClass = o.putObject("perClass");
        for (Map.Entry<String, PolicySummary.ClassStats> e : p.perClass().entrySet()) {
            ObjectNode c = perClass.putObject(e.getKey());
            putDouble(c, "meanLatencyS", e.getValue().meanLatencyS());
            putDouble(c, "meanSlowdown", e.getValue().meanSlowdown());
            c.put("count", e.getValue().count());
        }
        o.put("worstClass", p.worstClass());
        putDouble(o, "worstClassMeanSlowdown", p.worstClassMeanSlowdown());
        putDouble(o, "rejectionRate", p.rejectionRate());
        o.put("seeds", p.seeds());
        o.put("arrivals", p.arrivals());
        o.put("agentDecisions", p.agentDecisions());
        o.put("guardRefusals", p.guardRefusals());
        return o;
    }

    private static PolicySummary fromJson(JsonNode o) throws IOException {
        List<Double> seedMeans = new ArrayList<>();
        for (JsonNode v : o.path("seedMeanLatencyS")) {
            seedMeans.add(v.isNumber() ? v.asDouble() : Double.NaN);
        }
        Map<String, PolicySummary.ClassStats> perClass = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.path("perClass").properties()) {
            perClass.put(e.getKey(), new PolicySummary.ClassStats(dbl(e.getValue(), "meanLatencyS"),
                    dbl(e.getValue(), "meanSlowdown"), e.getValue().path("count").asLong()));
        }
        JsonNode recovery = o.path("recoverySeconds");
        JsonNode recovered = o.path("recovered");
        JsonNode worstClass = o.path("worstClass");
        return new PolicySummary(
                text(o, "name"),
                dbl(o, "meanLatencyS"),
                dbl(o, "p50LatencyS"),
                dbl(o, "p95LatencyS"),
                dbl(o, "p99LatencyS"),
                seedMeans,
                dbl(o, "sloAttainment"),
                dbl(o, "normalizedJainSlowdown"),
                dbl(o, "normalizedJainLatency"),
                dbl(o, "normalizedJainUsers"),
                o.path("completed").asLong(),
                o.path("rejected").asLong(),
                o.path("lost").asLong(),
                o.path("rerouted").asLong(),
                dbl(o, "backlogAtEndS"),
                recovery.isNumber() ? recovery.asDouble() : null,
                perClass,
                worstClass.isTextual() ? worstClass.asText() : null,
                dbl(o, "worstClassMeanSlowdown"),
                dbl(o, "rejectionRate"),
                recovered.isBoolean() ? recovered.asBoolean() : null,
                o.path("seeds").asInt(),
                o.path("arrivals").asLong(),
                o.path("agentDecisions").asLong(),
                o.path("guardRefusals").asLong());
    }

    /** Puts {@code value} to 6 significant digits, {@code null} when it is not finite (NaN is not JSON). */
    public static void putDouble(ObjectNode o, String key, double value) {
        Double rounded = round(value);
        if (rounded == null) {
            o.putNull(key);
        } else {
            o.put(key, rounded.doubleValue());
        }
    }

    /** {@code value} to 6 significant digits; {@code null} when it is not finite. */
    static Double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        if (value == 0) {
            return 0.0; // also turns -0.0 into 0.0
        }
        return new BigDecimal(value).round(SIX_DIGITS).doubleValue();
    }

    private static double dbl(JsonNode o, String key) {
        JsonNode v = o.path(key);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static String text(JsonNode o, String key) throws IOException {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) {
            throw new IOException("summary key '" + key + "' is missing or not text");
        }
        return v.asText();
    }
}
