package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultTest {

    @Test
    void parsesEachKindAndWritesItBackAsItWasWritten() {
        for (String spec : List.of("kill-node:edge-3@900", "kill-node:busiest@600", "restart-node:killed@660",
                "restart-scheduler@1200", "restart-planner@1500.5", "restart-broker@1800")) {
            assertEquals(spec, Fault.parse(spec).spec());
        }
        Fault f = Fault.parse("restart-planner@30");
        assertEquals(Fault.Kind.RESTART_PLANNER, f.kind());
        assertNull(f.target());
        assertEquals(30, f.atSeconds());
    }

    @Test
    void refusesWhatItCannotInjectNamingWhatItCan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fault.parse("llm-down@600"));
        assertTrue(e.getMessage().contains("unknown fault 'llm-down'") && e.getMessage().contains("restart-broker"),
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("kill-node@600")).getMessage()
                .contains("needs a server"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("restart-planner:edge-1@600"))
                .getMessage().contains("takes no server"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("kill-node:edge-1@soon"))
                .getMessage().contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("kill-node:edge-1@-5"))
                .getMessage().contains(">= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("kill-node:edge-1"))
                .getMessage().contains("KIND[:SERVER]@SECONDS"));
    }

    @Test
    void readsAPlanInTimeOrderSkippingCommentsAndNamingTheLineOfAnError(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan");
        Files.writeString(plan, "# a plan\n\nrestart-planner@900   # later\nkill-node:busiest@400\n");
        List<Fault> faults = Fault.readPlan(plan);
        assertEquals(List.of("kill-node:busiest@400", "restart-planner@900"), faults.stream().map(Fault::spec).toList());
        Files.writeString(plan, "kill-node:busiest@400\nllm-garbage@500..700\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fault.readPlan(plan));
        assertTrue(e.getMessage().startsWith(plan + ":2: "), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.readPlan(dir.resolve("none")))
                .getMessage().contains("no such file"));
    }

    @Test
    void theShippedDefaultPlanParses() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("infra").resolve("chaos"))) {
            root = root.getParent();
        }
        List<Fault> faults = Fault.readPlan(root.resolve("infra").resolve("chaos").resolve("default.plan"));
        assertTrue(faults.size() >= 4, faults.toString());
        for (int i = 1; i < faults.size(); i++) {
            assertTrue(faults.get(i).atSeconds() >= faults.get(i - 1).atSeconds());
        }
    }
}
