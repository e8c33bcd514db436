package dev.edgeweave.testbed.report;

import static dev.edgeweave.core.model.ModelClass.CHAT;
import static dev.edgeweave.core.model.ModelClass.IMAGE_GENERATION;
import static dev.edgeweave.core.model.ModelClass.VISION_LANGUAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.testbed.engine.RunResult;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SummariesTest {

    private static final double EPS = 1e-12;
    /** Model 0 and 3 are chat models, 1 vision-language, 2 image generation. */
    private static final List<ModelClass> CLASSES = List.of(CHAT, VISION_LANGUAGE, IMAGE_GENERATION, CHAT);

    /**
     * Two seeds, three classes, one rejection. By hand:
     * <pre>
     * seed 1: chat m0 u0 lat 1 (ref 0.5, sd 2, slo 5, within) | chat m3 u1 lat 6 (ref 1, sd 6, slo 5, late)
     *         vl m1 u0 rejected slo 8 (lat 8, ref 2, sd 4)     | img m2 u1 lat 10 (ref 5, sd 2, slo 20, within)
     * seed 2: chat m0 u0 lat 2 (ref 0.5, sd 4, within)         | img m2 u1 lat 20 (ref 5, sd 4, slo 20, within)
     * pooled latencies 1 2 6 8 10 20: mean 47/6, nearest-rank p50 = 3rd = 6, p95 = p99 = 6th = 20
     * per class: chat lat (1+6+2)/3 = 3, sd (2+6+4)/3 = 4; vl lat 8, sd 4; img lat 15, sd 3
     * NJ slowdown over [4 4 3]: J = 121/123, NJ = 360/369
     * NJ latency over [3 8 15]: J = 676/894, NJ = 1701/2682
     * per user sd: u0 (2+4+4)/3 = 10/3, u1 (6+2+4)/3 = 4: J = 484/488, NJ = 480/488
     * </pre>
     */
    private static List<RunResult> twoSeeds() {
        RunResult one = RunResultFixture.run("p", 1)
                .completed(0, 0, 0, 1, 0.5, 5)
                .completed(1, 3, 1, 6, 1, 5)
                .rejected(2, 1, 0, 2, 8)
                .completed(3, 2, 1, 10, 5, 20)
                .rerouted(1).lastTerminal(13).agents(5, 1)
                .build();
        RunResult two = RunResultFixture.run("p", 2)
                .completed(0, 0, 0, 2, 0.5, 5)
                .completed(1, 2, 1, 20, 5, 20)
                .rerouted(2).lastTerminal(0.5).agents(3, 0)
                .build();
        return List.of(one, two);
    }

    @Test
    void everyStatisticMatchesTheHandComputedCase() {
        PolicySummary s = Summaries.of("p", twoSeeds(), CLASSES);

        assertEquals("p", s.name());
        assertEquals(47.0 / 6, s.meanLatencyS(), EPS);
        assertEquals(6, s.p50LatencyS(), EPS);
        assertEquals(20, s.p95LatencyS(), EPS);
        assertEquals(20, s.p99LatencyS(), EPS);
        assertEquals(List.of(6.25, 11.0), s.seedMeanLatencyS());
        assertEquals(4.0 / 6, s.sloAttainment(), EPS, "completed within SLO, latency == SLO counts as within");
        assertEquals(360.0 / 369, s.normalizedJainSlowdown(), EPS);
        assertEquals(1701.0 / 2682, s.normalizedJainLatency(), EPS);
        assertEquals(480.0 / 488, s.normalizedJainUsers(), EPS);
        assertEquals(5, s.completed());
        assertEquals(1, s.rejected());
        assertEquals(0, s.lost());
        assertEquals(3, s.rerouted());
        assertEquals(5, s.backlogAtEndS(), EPS, "(10 + max(0, 0.5 - 1)) / 2");
        assertNull(s.recoverySeconds(), "no event");
        assertNull(s.recovered());
        assertEquals(List.of("CHAT", "VISION_LANGUAGE", "IMAGE_GENERATION"), List.copyOf(s.perClass().keySet()));
        assertEquals(new PolicySummary.ClassStats(3, 4, 3), s.perClass().get("CHAT"));
        assertEquals(new PolicySummary.ClassStats(8, 4, 1), s.perClass().get("VISION_LANGUAGE"));
        assertEquals(new PolicySummary.ClassStats(15, 3, 2), s.perClass().get("IMAGE_GENERATION"));
        assertEquals("CHAT", s.worstClass(), "a tie goes to the first class in enum order");
        assertEquals(4, s.worstClassMeanSlowdown(), EPS);
        assertEquals(1.0 / 6, s.rejectionRate(), EPS);
        assertEquals(2, s.seeds());
        assertEquals(6, s.arrivals());
        assertEquals(8, s.agentDecisions());
        assertEquals(1, s.guardRefusals());
    }

    @Test
    void aRejectionCountsAtItsSloNotAtZero() {
        RunResult r = RunResultFixture.run("p", 1)
                .completed(0, 0, 0, 1, 1, 5)
                .rejected(1, 0, 0, 1, 9)
                .build();
        PolicySummary s = Summaries.of("p", List.of(r), CLASSES);
        assertEquals(5, s.meanLatencyS(), EPS);
        assertEquals(0.5, s.sloAttainment(), EPS);
        assertEquals(0.5, s.rejectionRate(), EPS);
        assertEquals(5, s.perClass().get("CHAT").meanSlowdown(), EPS, "(1 + 9) / 2");
    }

    @Test
    void lostCountsPromptsWithoutExactlyOneTerminalRecord() {
        RunResult r = RunResultFixture.run("p", 1)
                .completed(0, 0, 0, 1, 1, 5)
                .prompt(1, 0, 0, 0, 0, 1, true, 3, 3, 5, 2) // two terminal records: keeps its outcome
                .prompt(2, 0, 1, 0, -1, 1, false, 0, 0, 10, 0) // none: the engine left zeros
                .build();
        RunResult clean = RunResultFixture.run("p", 2).completed(0, 0, 0, 1, 1, 5).build();
        PolicySummary s = Summaries.of("p", List.of(r, clean), CLASSES);

        assertEquals(2, s.lost());
        assertEquals(3, s.completed(), "the prompt with two terminal records completed");
        assertEquals(0, s.rejected(), "the prompt with none is neither completed nor rejected");
        assertEquals((1 + 3 + 10 + 1) / 4.0, s.meanLatencyS(), EPS, "the prompt with none counts at its SLO");
        assertEquals(List.of(14 / 3.0, 1.0), s.seedMeanLatencyS());
        assertEquals(3 / 4.0, s.sloAttainment(), EPS);
        assertEquals(new PolicySummary.ClassStats(15 / 4.0, 5 / 3.0, 4), s.perClass().get("CHAT"),
                "slowdown has no value for a prompt without an outcome");
        assertEquals(1.0, s.normalizedJainUsers(), EPS, "user 1 has no slowdown value, so only user 0 remains");
    }

    @Test
    void recoveryIsTheMeanOverSeedsAndALowerBoundWhenOneNeverSettles() {
        double[] arrival = IntStream.range(0, 1000).asDoubleStream().toArray();
        double[] flat = new double[1000];
        java.util.Arrays.fill(flat, 1);
        double[] oscillating = RecoveryTest.squareWave(arrival, 300);
        RunResult settles = RunResultFixture.run("p", 1).series(arrival, flat).event(300).build();
        RunResult never = RunResultFixture.run("p", 2).series(arrival, oscillating).event(300).build();

        PolicySummary s = Summaries.of("p", List.of(settles, never), CLASSES);
        assertEquals((0 + 699) / 2.0, s.recoverySeconds(), EPS);
        assertFalse(s.recovered());

        PolicySummary ok = Summaries.of("p", List.of(settles), CLASSES);
        assertEquals(0, ok.recoverySeconds(), EPS);
        assertTrue(ok.recovered());
    }

    @Test
    void oneClassAndEqualValuesAreFair() {
        RunResult r = RunResultFixture.run("p", 1)
                .completed(0, 0, 0, 1, 1, 5)
                .completed(1, 3, 0, 3, 1, 5)
                .build();
        PolicySummary s = Summaries.of("p", List.of(r), CLASSES);
        assertEquals(1, s.normalizedJainSlowdown(), EPS, "n = 1");
        assertEquals(1, s.normalizedJainLatency(), EPS);
        assertEquals(1, s.perClass().size());
    }

    @Test
    void nearestRankPercentiles() {
        double[] twenty = IntStream.rangeClosed(1, 20).asDoubleStream().toArray();
        assertEquals(19, Summaries.percentile(twenty, 95), "ceil(0.95 * 20) = 19 exactly, not 20");
        assertEquals(10, Summaries.percentile(twenty, 50));
        assertEquals(20, Summaries.percentile(twenty, 99));
        assertEquals(20, Summaries.percentile(twenty, 100));
        assertEquals(1, Summaries.percentile(twenty, 0.1));
        assertEquals(7, Summaries.percentile(new double[] {7}, 50));
        assertTrue(Double.isNaN(Summaries.percentile(new double[0], 50)));
        assertThrows(IllegalArgumentException.class, () -> Summaries.percentile(twenty, 0));
    }

    @Test
    void noSeedIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Summaries.of("p", List.of(), CLASSES));
        assertTrue(e.getMessage().contains("at least one seed"), e.getMessage());
    }
}
