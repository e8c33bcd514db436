package dev.edgeweave.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscreteEventSchedulerTest {

    private final DiscreteEventScheduler scheduler = new DiscreteEventScheduler();
    private final List<String> log = new ArrayList<>();

    private Runnable record(String name) {
        return () -> log.add(name + "@" + scheduler.now());
    }

    @Test
    void runsEventsInTimeOrderAndJumpsTheClock() {
        scheduler.schedule(3.0, record("c"));
        scheduler.schedule(1.0, record("a"));
        scheduler.schedule(2.5, record("b"));
        assertEquals(3, scheduler.pending());
        assertEquals(0.0, scheduler.now());

        scheduler.run();

        assertEquals(List.of("a@1.0", "b@2.5", "c@3.0"), log);
        assertEquals(3.0, scheduler.now());
        assertEquals(0, scheduler.pending());
        assertEquals(3, scheduler.eventsRun());
    }

    @Test
    void eventsDueAtTheSameInstantRunInSchedulingOrder() {
        // Interleave two instants so that heap reshuffles would show up as a wrong order.
        for (int i = 0; i < 50; i++) {
            scheduler.schedule(i % 2 == 0 ? 5.0 : 2.0, record("e" + i));
        }
        scheduler.run();

        List<String> expected = new ArrayList<>();
        for (int i = 1; i < 50; i += 2) {
            expected.add("e" + i + "@2.0");
        }
        for (int i = 0; i < 50; i += 2) {
            expected.add("e" + i + "@5.0");
        }
        assertEquals(expected, log);
    }

    @Test
    void aCancelledEventDoesNotRunAndCancelIsIdempotent() {
        scheduler.schedule(1.0, record("a"));
        EventScheduler.Scheduled b = scheduler.schedule(2.0, record("b"));
        scheduler.schedule(3.0, record("c"));

        b.cancel();
        assertEquals(2, scheduler.pending(), "cancel removes the event at once");
        b.cancel();
        assertEquals(2, scheduler.pending());

        scheduler.run();
        assertEquals(List.of("a@1.0", "c@3.0"), log);
        assertEquals(2, scheduler.eventsRun());
    }

    @Test
    void cancellingAnEventThatAlreadyRanHasNoEffect() {
        EventScheduler.Scheduled a = scheduler.schedule(1.0, record("a"));
        scheduler.schedule(2.0, record("b"));
        scheduler.runUntil(1.5);
        a.cancel();
        assertEquals(1, scheduler.pending());
        scheduler.run();
        assertEquals(List.of("a@1.0", "b@2.0"), log);
    }

    @Test
    void anEventCanCancelAnotherDueAtTheSameInstant() {
        EventScheduler.Scheduled[] victim = new EventScheduler.Scheduled[1];
        scheduler.schedule(1.0, () -> {
            log.add("killer");
            victim[0].cancel();
        });
        victim[0] = scheduler.schedule(1.0, record("victim"));
        scheduler.run();
        assertEquals(List.of("killer"), log);
    }

    @Test
    void runUntilRunsEventsAtOrBeforeTheHorizonAndSetsTheClockToIt() {
        scheduler.schedule(1.0, record("a"));
        scheduler.schedule(2.0, record("b"));
        scheduler.schedule(3.0, record("c"));

        scheduler.runUntil(2.0);
        assertEquals(List.of("a@1.0", "b@2.0"), log, "an event exactly at the horizon runs");
        assertEquals(2.0, scheduler.now());
        assertEquals(1, scheduler.pending());
        assertEquals(3.0, scheduler.nextEventTime());

        scheduler.runUntil(2.75);
        assertEquals(2.75, scheduler.now(), "the clock moves to the horizon even with no event");
        assertEquals(2, log.size());

        scheduler.schedule(0.25, record("d")); // at 3.0, after c in scheduling order
        scheduler.runUntil(10.0);
        assertEquals(List.of("a@1.0", "b@2.0", "c@3.0", "d@3.0"), log);
        assertEquals(10.0, scheduler.now());
        assertEquals(Double.POSITIVE_INFINITY, scheduler.nextEventTime());
    }

    @Test
    void runUntilRefusesToGoBackwards() {
        scheduler.runUntil(5.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scheduler.runUntil(4.0));
        assertTrue(e.getMessage().contains("4.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scheduler.runUntil(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> scheduler.runUntil(Double.POSITIVE_INFINITY));
        assertEquals(5.0, scheduler.now());
    }

    @Test
    void eventsScheduledFromInsideEventsRunInOrder() {
        scheduler.schedule(1.0, () -> {
            log.add("outer@" + scheduler.now());
            scheduler.schedule(0.0, record("sameInstant"));
            scheduler.schedule(0.5, record("later"));
        });
        scheduler.schedule(1.0, record("sibling")); // scheduled before the inner zero-delay one
        scheduler.schedule(1.2, record("between"));
        scheduler.run();

        assertEquals(List.of("outer@1.0", "sibling@1.0", "sameInstant@1.0", "between@1.2", "later@1.5"), log);
        assertEquals(5, scheduler.eventsRun());
    }

    @Test
    void aSelfReschedulingChainAdvancesTheClock() {
        int[] count = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (++count[0] < 1000) {
                scheduler.schedule(0.5, tick[0]);
            }
        };
        scheduler.schedule(0.0, tick[0]);
        scheduler.run();
        assertEquals(1000, count[0]);
        assertEquals(999 * 0.5, scheduler.now());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, -1e-12, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void rejectsDelaysThatAreNegativeNaNOrInfinite(double delay) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scheduler.schedule(delay, () -> { }));
        assertTrue(e.getMessage().contains("delay must be finite and >= 0"), e.getMessage());
        assertEquals(0, scheduler.pending());
    }

    @Test
    void scheduleAtTakesAbsoluteTimesNotInThePast() {
        scheduler.runUntil(10.0);
        scheduler.scheduleAt(12.5, record("a"));
        assertThrows(IllegalArgumentException.class, () -> scheduler.scheduleAt(9.0, () -> { }));
        scheduler.run();
        assertEquals(List.of("a@12.5"), log);
    }

    @Test
    void runningFromInsideAnActionIsRefused() {
        scheduler.schedule(1.0, scheduler::run);
        IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::run);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
        scheduler.schedule(1.0, record("after")); // the scheduler is still usable
        scheduler.run();
        assertEquals(List.of("after@2.0"), log);
    }

    @Test
    void runNextRunsOneEvent() {
        scheduler.schedule(1.0, record("a"));
        scheduler.schedule(2.0, record("b"));
        assertTrue(scheduler.runNext());
        assertEquals(List.of("a@1.0"), log);
        assertTrue(scheduler.runNext());
        assertFalse(scheduler.runNext());
        assertEquals(2.0, scheduler.now());
    }

    /** The heap against a sorted list, with many ties and cancellations from the middle of the heap. */
    @Test
    void matchesASortedReferenceUnderRandomSchedulingAndCancelling() {
        Random random = new Random(42);
        record Planned(double time, int order, EventScheduler.Scheduled handle) {
        }
        List<Integer> ran = new ArrayList<>();
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int order = i;
            double time = random.nextInt(200) * 0.25; // many equal times
            planned.add(new Planned(time, order, scheduler.schedule(time, () -> ran.add(order))));
        }
        List<Planned> kept = new ArrayList<>();
        for (Planned p : planned) {
            if (random.nextInt(3) == 0) {
                p.handle().cancel();
            } else {
                kept.add(p);
            }
        }
        assertEquals(kept.size(), scheduler.pending());

        scheduler.run();

        kept.sort(Comparator.comparingDouble(Planned::time).thenComparingInt(Planned::order));
        assertEquals(kept.stream().map(Planned::order).toList(), ran);
        assertEquals(kept.size(), scheduler.eventsRun());
    }
}
