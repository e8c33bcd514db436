package dev.edgeweave.testbed.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-made latency series, one prompt per city second unless a case says otherwise, event at second 300.
 * The rolling window is (t − 30, t], so at grid second t it holds the prompts of seconds t − 29 … t.
 */
class RecoveryTest {

    private static final double EVENT = 300;

    static double[] seconds(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).asDoubleStream().toArray();
    }

    static double[] latencies(double[] arrival, DoubleUnaryOperator f) {
        return Arrays.stream(arrival).map(f).toArray();
    }

    /** 10 s for 60 s, 1 s for 60 s, … from {@code event} on; 1 s before. */
    static double[] squareWave(double[] arrival, double event) {
        return latencies(arrival, a -> a < event ? 1 : ((long) Math.floor((a - event) / 60)) % 2 == 0 ? 10 : 1);
    }

    private static Arguments row(String name, double[] arrival, double[] latency, double event,
                                 Recovery expected) {
        return Arguments.of(name, arrival, latency, event, Optional.ofNullable(expected));
    }

    static Stream<Arguments> cases() {
        double[] run = seconds(0, 1000);
        // With no prompts from 310 to 399 the window is empty and carries the spike's value until 400.
        double[] gap = Stream.of(seconds(0, 310), seconds(400, 1000)).flatMapToDouble(Arrays::stream).toArray();
        return Stream.of(
                row("instant: flat latency, within the band at the event", run, latencies(run, a -> 1), EVENT,
                        new Recovery(0, true)),
                // Spike over arrivals 300…344 (45 s). r(t) is back to 1 once 344 left the window: t − 29 = 345,
                // t = 374, so 45 s of spike + 29 s of window = 74 s. Any spike prompt in the window puts r at
                // ≥ 1 + 9/30 = 1.3 > 1.2, so not earlier.
                row("a 45-s spike then back: 45 s plus the window's tail", run,
                        latencies(run, a -> a >= 300 && a < 345 ? 10 : 1), EVENT, new Recovery(74, true)),
                // A spike over 250…279 is still in the window at 300; it leaves at t − 29 = 280, t = 309.
                row("a spike before the event still in the window", run,
                        latencies(run, a -> a >= 250 && a < 280 ? 10 : 1), EVENT, new Recovery(9, true)),
                row("an empty window carries the previous value", gap,
                        latencies(gap, a -> a >= 300 && a < 310 ? 10 : 1), EVENT, new Recovery(100, true)),
                // Latency moves from 1 s to 5 s at 350: the settled level is 5, the band [4, 6]. With n prompts of
                // 5 s in the window r = (30 + 4n) / 30 ≥ 4 needs n ≥ 22.5, so n = 23: t = 349 + 23 = 372.
                row("a new level: within 20% of the settled level, not of the old one", run,
                        latencies(run, a -> a < 350 ? 1 : 5), EVENT, new Recovery(72, true)),
                // Plateaus of 10 s and 1 s around a settled mean near 5.5: r crosses the band in a few seconds,
                // never stays 30 s.
                row("never: oscillates for good, lower bound to the last arrival", run, squareWave(run, EVENT),
                        EVENT, new Recovery(699, false)),
                row("never: the run ends before the settled window", seconds(0, 401),
                        latencies(seconds(0, 401), a -> 1), EVENT, new Recovery(100, false)),
                // Growing 2% a second, r stays within ±20% of any level for about 2·ln(1.2)/ln(1.02) ≈ 18 s < 31.
                row("never: runs away, crossing the band without staying", run,
                        latencies(run, a -> a < 300 ? 1 : Math.pow(1.02, a - 300)), EVENT,
                        new Recovery(699, false)),
                row("no event", run, latencies(run, a -> 1), Double.NaN, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recovery(String name, double[] arrival, double[] latency, double event, Optional<Recovery> expected) {
        assertEquals(expected, Recovery.of(arrival, latency, event, arrival[arrival.length - 1]));
    }

    @Test
    void rollingMeanCarriesThePreviousValueThroughEmptyWindows() {
        double[] arrival = {0.5, 1, 2, 40};
        double[] latency = {1, 3, 5, 7};
        // t = 0: nothing yet; t = 1: {1, 3}; t = 2: {1, 3, 5}; t = 31: (1, 31] holds {5}; t = 32, 33: carried;
        // t = 40: {7}.
        double[] r = Recovery.rollingMean(arrival, latency, 30, 0, 1, 41);
        assertEquals(Double.NaN, r[0]);
        assertEquals(2, r[1]);
        assertEquals(3, r[2]);
        assertEquals(3, r[30]);
        assertEquals(5, r[31]);
        assertArrayEquals(new double[] {5, 5, 5}, Arrays.copyOfRange(r, 32, 35));
        assertEquals(5, r[39]);
        assertEquals(7, r[40]);
    }

    @Test
    void arrivalsOutOfOrderAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recovery.of(new double[] {0, 2, 1}, new double[] {1, 1, 1}, 0, 2));
        assertTrue(e.getMessage().contains("arrival order"), e.getMessage());
    }
}
