package dev.edgeweave.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code edgeweave bench}: the commands and their options. The benchmark itself is not run here (it takes
 * minutes and a broker, and is not part of {@code mvn verify}): only what is refused before it starts.
 */
class BenchCommandTest {

    @Test
    void benchListsTheSchedulerBenchmark() {
        EvaluateCommandTest.Run r = EvaluateCommandTest.run("bench");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("scheduler"), r.out());
        assertTrue(r.out().contains("planner"), r.out());
    }

    @Test
    void helpNamesTheJsonFiguresAndOptions() {
        EvaluateCommandTest.Run r = EvaluateCommandTest.run("bench", "scheduler", "--help");
        assertEquals(0, r.exitCode(), r.err());
        for (String s : new String[] {"routedPerSec", "decisionP99Micros", "--records", "--runs", "--warmups", "--bootstrap"}) {
            assertTrue(r.out().contains(s), s + " in: " + r.out());
        }
    }

    @Test
    void plannerHelpNamesItsFiguresAndRefusesTooLittle() {
        EvaluateCommandTest.Run r = EvaluateCommandTest.run("bench", "planner", "--help");
        assertEquals(0, r.exitCode(), r.err());
        for (String s : new String[] {"eventsPerSec", "windowLatencyMs", "--events", "--live-seconds"}) {
            assertTrue(r.out().contains(s), s + " in: " + r.out());
        }
        r = EvaluateCommandTest.run("bench", "planner", "--events", "10");
        assertEquals(1, r.exitCode());
        assertEquals("edgeweave: --events must be >= 1000, was 10", r.err().strip());
    }

    @Test
    void nothingToMeasureIsRefusedWithAMessage() {
        EvaluateCommandTest.Run r = EvaluateCommandTest.run("bench", "scheduler", "--records", "0");
        assertEquals(1, r.exitCode());
        assertEquals("edgeweave: --records must be >= 1, was 0", r.err().strip());
        r = EvaluateCommandTest.run("bench", "scheduler", "--runs", "0");
        assertEquals("edgeweave: --runs must be >= 1, was 0", r.err().strip());
        r = EvaluateCommandTest.run("bench", "scheduler", "--warmups", "-1");
        assertEquals("edgeweave: --warmups must be >= 0, was -1", r.err().strip());
    }
}
