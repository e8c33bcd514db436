package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A shortened chaos run: a 60-second lab (600 city seconds) on a broker process, the busiest server's connector
 * killed at 100 city s and restarted at 150, the planner's Flink job cancelled and restored from its last
 * checkpoint at 200. Every prompt still ends exactly once, the invariants hold from the topics, and each fault's
 * recovery is measured.
 */
class LabChaosIT {

    @Test
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void aServerKillAndAPlannerRestartLoseNothing() throws Exception {
        List<Fault> plan = List.of(Fault.parse("kill-node:busiest@100"), Fault.parse("restart-node:killed@150"),
                Fault.parse("restart-planner@200"));
        Lab.Result r = new Lab(System.err).run(new Lab.Options("bristol-7", 60, 10, 1, 1.0, Optional.empty(),
                List.of(), plan, Duration.ofMillis(50), 5, Duration.ofSeconds(120)),
                new Lab.Where(Optional.empty(), OptionalInt.empty(), BrokerProcess.repoRoot()));
        Lab.Pipeline p = r.pipeline();
        assertEquals(0, p.lost(), "every prompt ended exactly once: " + p);
        assertTrue(r.invariants().holds(), r.invariants().toString());
        assertEquals(3, r.faults().size(), r.faults().toString());
        String killed = r.faults().get(0).fault();
        assertTrue(killed.matches("kill-node:edge-\\d+@100"), "busiest resolved to a server: " + killed);
        assertEquals(killed.replace("kill-node", "restart-node").replace("@100", "@150"), r.faults().get(1).fault());
        assertEquals("restart-planner@200", r.faults().get(2).fault());
        for (Lab.FaultOutcome f : r.faults()) {
            assertTrue(Double.isFinite(f.recoverySeconds()), "recovery measured within the run: " + f);
        }
        assertTrue(p.completed() > p.produced() * 0.9, p.toString());
    }
}
