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
                "restart-scheduler@1200", "restart-planner@1500.5", "restart-broker@1800", "llm-down@900..1020",
                "llm-garbage@1320..1440", "llm-slow@60.5..200", "partition-link:ap-broadmead/edge-2@300..420")) {
            assertEquals(spec, Fault.parse(spec).spec());
        }
        Fault f = Fault.parse("restart-planner@30");
        assertEquals(Fault.Kind.RESTART_PLANNER, f.kind());
        assertNull(f.target());
        assertEquals(30, f.atSeconds());
        assertEquals(30, f.endSeconds());
        Fault llm = Fault.parse("llm-garbage@500..700");
        assertTrue(llm.kind().isLlm() && llm.kind().hasSpan());
        assertEquals(500, llm.atSeconds());
        assertEquals(700, llm.endSeconds());
        Fault cut = Fault.parse("partition-link:ap-broadmead/edge-2@300..420");
        assertEquals("ap-broadmead", cut.accessPoint());
        assertEquals("edge-2", cut.linkNode());
        assertTrue(cut.kind().hasSpan() && !cut.kind().isLlm());
    }

    @Test
    void refusesWhatItCannotInjectNamingWhatItCan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fault.parse("net-down@600"));
        assertTrue(e.getMessage().contains("unknown fault 'net-down'") && e.getMessage().contains("llm-garbage"),
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("llm-down@600")).getMessage()
                .contains("llm-down@S..E"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("llm-down@600..500")).getMessage()
                .contains("E > S"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("restart-planner@600..700"))
                .getMessage().contains("one instant"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("llm-slow@600..later"))
                .getMessage().contains("FROM..UNTIL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("partition-link@600..700"))
                .getMessage().contains("partition-link:<ap>/<node>"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("partition-link:edge-2@600..700"))
                .getMessage().contains("<ap>/<node>"));
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
        Files.writeString(plan, "kill-node:busiest@400\nllm-garbage@500\n");
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
        // What the target asks of it: a kill and its restart, a planner restart, the LLM down and then
        // answering garbage.
        assertTrue(faults.stream().anyMatch(f -> f.kind() == Fault.Kind.LLM_DOWN)
                && faults.stream().anyMatch(f -> f.kind() == Fault.Kind.LLM_GARBAGE)
                && faults.stream().anyMatch(f -> f.kind() == Fault.Kind.RESTART_PLANNER), faults.toString());
        for (int i = 1; i < faults.size(); i++) {
            assertTrue(faults.get(i).atSeconds() >= faults.get(i - 1).atSeconds());
        }
    }
}
