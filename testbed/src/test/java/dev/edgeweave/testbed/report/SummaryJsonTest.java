package dev.edgeweave.testbed.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    private static final SummaryHeader HEADER = new SummaryHeader("bristol-7", "ab12", "c0ffee", 5, 1.0, 1234,
            12.5);

    static PolicySummary summary(String name, double mean, Double recovery, Boolean recovered) {
        Map<String, PolicySummary.ClassStats> perClass = new LinkedHashMap<>();
        perClass.put("CHAT", new PolicySummary.ClassStats(mean / 2, 1.5, 10));
        perClass.put("IMAGE_GENERATION", new PolicySummary.ClassStats(mean * 2, 3.25, 4));
        return new PolicySummary(name, mean, mean * 0.9, mean * 3, mean * 4, List.of(mean, mean + 1),
                0.95, 0.875, 0.5, 0.99, 140, 7, 0, 3, 2.5, recovery, perClass, "IMAGE_GENERATION", 3.25,
                0.05, recovered, 2, 147, 12, 1);
    }

    private static List<PolicySummary> rows() {
        return List.of(summary("edgeweave", 47.0 / 6, 41.0, true),
                summary("round-robin/static", 12.0, null, null));
    }

    @Test
    void writesTheAgreedShape(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(file, HEADER, rows());
        JsonNode root = new ObjectMapper().readTree(file.toFile());

        assertEquals(List.of("scenario", "scenarioSha256", "gitCommit", "seeds", "load", "prompts", "wallSeconds",
                "policies"), names(root));
        assertEquals("bristol-7", root.get("scenario").asText());
        assertEquals(5, root.get("seeds").asInt());
        assertEquals(1234, root.get("prompts").asLong());
        JsonNode policies = root.get("policies");
        assertEquals(2, policies.size());
        JsonNode edgeweave = policies.get(0);
        assertEquals("edgeweave", edgeweave.get("name").asText(), "policies keep the given order");
        assertEquals("round-robin/static", policies.get(1).get("name").asText());
        List<String> required = List.of("name", "meanLatencyS", "p50LatencyS", "p95LatencyS", "p99LatencyS",
                "seedMeanLatencyS", "sloAttainment", "normalizedJainSlowdown", "normalizedJainLatency",
                "normalizedJainUsers", "completed", "rejected", "lost", "rerouted", "backlogAtEndS",
                "recoverySeconds", "perClass");
        List<String> keys = names(edgeweave);
        assertTrue(keys.containsAll(required), "missing: " + missing(required, keys));
        assertTrue(keys.containsAll(List.of("worstClassMeanSlowdown", "rejectionRate", "recovered")));
        assertEquals(7.83333, edgeweave.get("meanLatencyS").asDouble(), 0, "rounded to 6 significant digits");
        assertEquals(2, edgeweave.get("seedMeanLatencyS").size());
        assertEquals(140, edgeweave.get("completed").asLong());
        assertTrue(edgeweave.get("completed").isIntegralNumber());
        assertEquals(41.0, edgeweave.get("recoverySeconds").asDouble());
        assertTrue(policies.get(1).get("recoverySeconds").isNull(), "no event: null, not absent");
        JsonNode chat = edgeweave.get("perClass").get("CHAT");
        assertEquals(List.of("meanLatencyS", "meanSlowdown", "count"), names(chat));
        assertEquals(10, chat.get("count").asLong());
        assertEquals(1.5, chat.get("meanSlowdown").asDouble());
    }

    @Test
    void readsBackWhatItWrote(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(file, HEADER, rows());
        SummaryFile back = SummaryJson.read(file);

        assertEquals(HEADER, back.header());
        PolicySummary a = back.policies().get(0);
        PolicySummary expected = rows().get(0);
        assertEquals(expected.name(), a.name());
        assertEquals(7.83333, a.meanLatencyS());
        assertEquals(3.91667, a.perClass().get("CHAT").meanLatencyS(), "47/12 to 6 digits");
        assertEquals(expected.perClass().keySet(), a.perClass().keySet());
        assertEquals(expected.recoverySeconds(), a.recoverySeconds());
        assertEquals(true, a.recovered());
        assertEquals(expected.completed(), a.completed());
        assertEquals("IMAGE_GENERATION", a.worstClass());
        PolicySummary b = back.policies().get(1);
        assertNull(b.recoverySeconds());
        assertNull(b.recovered());
        assertEquals(rows().get(1), b, "a row whose values all have 6 digits or fewer comes back equal");
    }

    @Test
    void sameInputsGiveTheSameFileApartFromWallSeconds(@TempDir Path dir) throws IOException {
        Path one = dir.resolve("one.json");
        Path two = dir.resolve("two.json");
        SummaryJson.write(one, HEADER, rows());
        SummaryJson.write(two, new SummaryHeader("bristol-7", "ab12", "c0ffee", 5, 1.0, 1234, 99.75), rows());
        List<String> a = Files.readAllLines(one);
        List<String> b = Files.readAllLines(two);
        assertEquals(a.size(), b.size());
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                differing.add(a.get(i).trim());
            }
        }
        assertEquals(List.of("\"wallSeconds\" : 12.5,"), differing);
        assertFalse(Files.readString(one).contains("\r"));
    }

    @Test
    void aValueThatDoesNotExistIsNull(@TempDir Path dir) throws IOException {
        PolicySummary empty = new PolicySummary("empty", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                List.of(Double.NaN), Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0, 0, null,
                Map.of(), null, Double.NaN, Double.NaN, null, 1, 0, 0, 0);
        Path file = dir.resolve("s.json");
        SummaryJson.write(file, HEADER, List.of(empty));
        JsonNode p = new ObjectMapper().readTree(file.toFile()).get("policies").get(0);
        assertTrue(p.get("meanLatencyS").isNull());
        assertTrue(p.get("seedMeanLatencyS").get(0).isNull());
        assertTrue(Double.isNaN(SummaryJson.read(file).policies().get(0).meanLatencyS()));
    }

    @Test
    void roundsToSixSignificantDigits() {
        assertEquals(7.83333, SummaryJson.round(47.0 / 6));
        assertEquals(123457.0, SummaryJson.round(123456.7));
        assertEquals(1.23457e-5, SummaryJson.round(1.234567e-5));
        assertEquals(0.0, SummaryJson.round(-0.0));
        assertNull(SummaryJson.round(Double.POSITIVE_INFINITY));
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> missing(List<String> required, List<String> keys) {
        List<String> out = new ArrayList<>(required);
        out.removeAll(keys);
        return out;
    }
}
