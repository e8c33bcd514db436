package dev.edgeweave.core.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The city clock (DESIGN.md, "Time"): city time = start + (wall time − start) × speed-up. At speed-up 1 it is
 * the wall clock; in the lab every component takes the same start and speed-up, so their clocks agree.
 *
 * <p>Deadlines, heartbeat ages and record timestamps are city time; what Kafka Streams waits for (commits,
 * wall-clock punctuations) stays wall time, so the app divides its scan interval by the speed-up.
 *
 * <p>Immutable and thread-safe.
 */
public final class CityClock extends Clock {

    private final Clock wall;
    private final Instant start;
    private final double speedup;

    /**
     * @param wall    the wall clock it runs on (the system clock, or a test's)
     * @param start   the instant at which city and wall time agree (the lab's start)
     * @param speedup city seconds per wall second, finite and &gt; 0
     */
    public CityClock(Clock wall, Instant start, double speedup) {
        this.wall = Objects.requireNonNull(wall, "wall");
        this.start = Objects.requireNonNull(start, "start");
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("the city clock's speed-up must be finite and > 0, was " + speedup);
        }
        this.speedup = speedup;
    }

    /** A city clock on the system clock, agreeing with it at {@code start}. */
    public static CityClock system(Instant start, double speedup) {
        return new CityClock(Clock.systemUTC(), start, speedup);
    }

    public Instant start() {
        return start;
    }

    public double speedup() {
        return speedup;
    }

    /** The wall-clock duration that lasts {@code city} in city time. */
    public Duration wallDuration(Duration city) {
        return speedup == 1.0 ? city : Duration.ofNanos(Math.round(city.toNanos() / speedup));
    }

    @Override
    public Instant instant() {
        Instant now = wall.instant();
        if (speedup == 1.0) {
            return now;
        }
        // Nanoseconds in a long reach ±292 years of wall time; the product is exact to the nanosecond for
        // about 100 city days and to the microsecond far beyond, which is all a scheduler needs.
        long elapsed = Duration.between(start, now).toNanos();
        return start.plusNanos(Math.round(elapsed * speedup));
    }

    @Override
    public ZoneId getZone() {
        return wall.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(getZone()) ? this : new CityClock(wall.withZone(zone), start, speedup);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CityClock c && wall.equals(c.wall) && start.equals(c.start) && speedup == c.speedup;
    }

    @Override
    public int hashCode() {
        return Objects.hash(wall, start, speedup);
    }

    @Override
    public String toString() {
        return "CityClock[start=" + start + ", speed-up=" + speedup + ", zone=" + getZone() + "]";
    }
}
