package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    @Test
    void quantilesAreWithinTwoPercentOfTheExactOnes() {
        Random r = new Random(7);
        double[] x = new double[20_000];
        LatencySketch s = new LatencySketch();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.exp(r.nextGaussian() * 1.5) * 0.8; // log-normal seconds, a long tail
            s.add(x[i]);
        }
        Arrays.sort(x);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double exact = x[(int) Math.ceil(q * x.length) - 1];
            assertEquals(exact, s.quantile(q), 0.02 * exact, "q" + q);
        }
        assertEquals(x.length, s.count());
    }

    @Test
    void mergingIsAddingTheCounts() {
        LatencySketch a = new LatencySketch();
        LatencySketch b = new LatencySketch();
        LatencySketch both = new LatencySketch();
        for (int i = 1; i <= 1000; i++) {
            double v = i / 100.0;
            (i % 3 == 0 ? a : b).add(v);
            both.add(v);
        }
        a.merge(b);
        assertEquals(both.count(), a.count());
        for (double q : new double[] {0.01, 0.5, 0.95, 1.0}) {
            assertEquals(both.quantile(q), a.quantile(q), q + "");
        }
    }

    @Test
    void edgesAndBadInput() {
        LatencySketch s = new LatencySketch();
        assertEquals(0, s.quantile(0.5), "empty");
        s.add(0);
        s.add(1e9);
        assertEquals(LatencySketch.MIN_SECONDS, s.quantile(0.5));
        assertThrows(IllegalArgumentException.class, () -> s.add(-1));
        assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> s.quantile(0));
    }
}
