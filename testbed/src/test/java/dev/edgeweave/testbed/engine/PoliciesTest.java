package dev.edgeweave.testbed.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoliciesTest {

    /** The evaluation's rows, written out: a renamed or dropped row changes every report's columns. */
    private static final List<String> ROWS = List.of(
            "edgeweave", "edgeweave/router-only", "edgeweave/no-fairness",
            "random/static", "random/ondemand",
            "round-robin/static", "round-robin/ondemand",
            "least-busy/static", "least-busy/ondemand",
            "latency-based/static", "latency-based/ondemand",
            "power-of-two/static", "power-of-two/ondemand",
            "llm-d-scorer/static", "llm-d-scorer/ondemand",
            "vtc/static", "vtc/ondemand",
            "nearest/static", "nearest/ondemand");

    @Test
    void thereAreNineteenRowsEdgeweaveFirst() {
        assertEquals(19, ROWS.size());
        assertEquals(ROWS, Policies.names());
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", " all ", ""})
    void allMeansEveryRowInOrder(String list) {
        assertEquals(ROWS, Policies.parse(list).stream().map(PolicySpec::name).toList());
    }

    static Stream<Arguments> lists() {
        return Stream.of(
                Arguments.of("edgeweave", List.of("edgeweave")),
                Arguments.of("round-robin/static,edgeweave", List.of("round-robin/static", "edgeweave")),
                Arguments.of(" vtc/ondemand , nearest/static ", List.of("vtc/ondemand", "nearest/static")),
                Arguments.of("edgeweave,edgeweave/no-fairness,edgeweave", List.of("edgeweave", "edgeweave/no-fairness")));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("lists")
    void aListNamesRowsInItsOrderOnceEach(String list, List<String> expected) {
        assertEquals(expected, Policies.parse(list).stream().map(PolicySpec::name).toList());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("edgeweave", PlacementMode.AGENTS, true, true),
                Arguments.of("edgeweave/router-only", PlacementMode.STATIC, false, true),
                Arguments.of("edgeweave/no-fairness", PlacementMode.AGENTS, true, false),
                Arguments.of("least-busy/static", PlacementMode.STATIC, false, false),
                Arguments.of("least-busy/ondemand", PlacementMode.ONDEMAND, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRowHasItsPlacementAndAgents(String name, PlacementMode placement, boolean coldStart, boolean fairness) {
        PolicySpec p = Policies.parse(name).get(0);
        assertEquals(placement, p.placement());
        assertEquals(coldStart, p.coldStart());
        assertEquals(fairness, p.fairness());
    }

    @ParameterizedTest
    @ValueSource(strings = {"edgewave", "round-robin", "edgeweave,least-busy/statik", "ALL"})
    void anUnknownNameIsAnErrorListingTheKnownOnes(String list) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policies.parse(list));
        String bad = list.contains(",") ? list.substring(list.indexOf(',') + 1) : list;
        assertTrue(e.getMessage().startsWith("unknown policy '" + bad + "'; known: "), e.getMessage());
        for (String row : ROWS) {
            assertTrue(e.getMessage().contains(row), row + " listed: " + e.getMessage());
        }
    }
}
