package dev.edgeweave.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** City time = start + (wall − start) × speed-up, on a wall clock the test moves by hand. */
class CityClockTest {

    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void atSpeedUpOneItIsTheWallClock() {
        MutableClock wall = new MutableClock(T0.plusSeconds(100));
        CityClock city = new CityClock(wall, T0, 1.0);
        assertEquals(T0.plusSeconds(100), city.instant());
        wall.advance(Duration.ofMillis(1234));
        assertEquals(T0.plusSeconds(100).plusMillis(1234), city.instant());
    }

    @Test
    void faster() {
        MutableClock wall = new MutableClock(T0);
        CityClock city = new CityClock(wall, T0, 10.0);
        assertEquals(T0, city.instant(), "city and wall agree at the start");
        wall.advance(Duration.ofMillis(1500));
        assertEquals(T0.plusSeconds(15), city.instant());
        assertEquals(Duration.ofMillis(300), city.wallDuration(Duration.ofSeconds(3)));
    }

    @Test
    void slowerAndBeforeTheStart() {
        MutableClock wall = new MutableClock(T0.minusSeconds(4));
        CityClock city = new CityClock(wall, T0, 0.5);
        assertEquals(T0.minusSeconds(2), city.instant(), "linear on both sides of the start");
        assertEquals(T0.minusSeconds(2).toEpochMilli(), city.millis());
    }

    @Test
    void refusesASpeedUpThatIsNotPositive() {
        MutableClock wall = new MutableClock(T0);
        assertThrows(IllegalArgumentException.class, () -> new CityClock(wall, T0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CityClock(wall, T0, -2));
        assertThrows(IllegalArgumentException.class, () -> new CityClock(wall, T0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new CityClock(wall, T0, Double.POSITIVE_INFINITY));
    }

    @Test
    void zone() {
        CityClock city = CityClock.system(T0, 2.0);
        assertEquals(ZoneOffset.UTC, city.getZone());
        assertSame(city, city.withZone(ZoneOffset.UTC));
        assertEquals(city, CityClock.system(T0, 2.0));
    }
}
