package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A shortened chaos run: a 60-second lab (600 city seconds) on a broker process, the busiest server's connector
 * killed at 100 city s and restarted at 150, the planner's Flink job cancelled and restored from its last
 * checkpoint at 200, the language model down from 220 to 340 city s (the short-term and long-term agents run
 * on their LLM brains against the lab's scripted model endpoint, which stands in for a model server: none runs
 * here), and the link from the railway station's access point to the A100 server cut from 230 to 330. Every
 * prompt still ends exactly once, the invariants hold from the topics, each fault's recovery is measured, the
 * optimizer stood in for the language model while it was down, and no prompt crossed the cut link.
 *
 * <p>Every prompt carries a planted marker in its user id and its content; no log line of the run, at any level
 * of edgeweave's own loggers and INFO and up of every other, contains it.
 */
class LabChaosIT {

    static final String MARKER = "ZQ-CHAOS-PLANTED-4417";

    @Test
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void aServerKillAPlannerRestartAndTheModelDownLoseNothingAndLeakNothing() throws Exception {
        List<Fault> plan = List.of(Fault.parse("kill-node:busiest@100"), Fault.parse("restart-node:killed@150"),
                Fault.parse("restart-planner@200"), Fault.parse("llm-down@220..340"),
                Fault.parse("partition-link:ap-temple-meads/edge-1@230..330"));
        List<String> lines = new CopyOnWriteArrayList<>();
        java.io.ByteArrayOutputStream labOutput = new java.io.ByteArrayOutputStream();
        AbstractAppender capture = capture(lines);
        Lab.Result r;
        try {
            r = new Lab(new java.io.PrintStream(tee(labOutput), true, java.nio.charset.StandardCharsets.UTF_8))
                    .planting(MARKER).run(new Lab.Options("bristol-7", 60, 10, 1, 1.0,
                    Optional.empty(), List.of(), plan, Duration.ofMillis(50), 5, Duration.ofSeconds(120)),
                    new Lab.Where(Optional.empty(), OptionalInt.empty(), BrokerProcess.repoRoot()));
        } finally {
            detach(capture);
        }
        Lab.Pipeline p = r.pipeline();
        assertEquals(0, p.lost(), "every prompt ended exactly once: " + p);
        assertTrue(r.invariants().holds(), r.invariants().toString());
        assertEquals(5, r.faults().size(), r.faults().toString());
        String killed = r.faults().get(0).fault();
        assertTrue(killed.matches("kill-node:edge-\\d+@100"), "busiest resolved to a server: " + killed);
        assertEquals(killed.replace("kill-node", "restart-node").replace("@100", "@150"), r.faults().get(1).fault());
        assertEquals("restart-planner@200", r.faults().get(2).fault());
        Lab.FaultOutcome llm = r.faults().get(3);
        assertEquals("llm-down@220..340", llm.fault());
        // 12 short-term periods and 2 long-term ones in the span: each call failed over to the optimizer.
        assertTrue(llm.agentFallbacks() >= 6, "the optimizer stood in while the model was down: " + llm);
        Lab.FaultOutcome cut = r.faults().get(4);
        assertEquals("partition-link:ap-temple-meads/edge-1@230..330", cut.fault());
        assertEquals(0, cut.servedOverCutLink(), "no prompt from the station served by edge-1 while cut: " + cut);
        // ... though that link carries the station's prompts otherwise (so the check above could fail).
        var city = new dev.edgeweave.testbed.scenario.ScenarioLoader().load("bristol-7").city();
        int station = city.accessPoints().stream().map(a -> a.id()).toList().indexOf("ap-temple-meads");
        int edge1 = city.servers().stream().map(s -> s.id()).toList().indexOf("edge-1");
        var live = r.live();
        long before = 0;
        for (int i = 0; i < live.size(); i++) {
            if (live.arrival()[i] < 100 && live.accessPoint()[i] == station && live.server()[i] == edge1
                    && live.completed()[i]) {
                before++;
            }
        }
        assertTrue(before > 0, "the station's prompts went to edge-1 before any fault");
        for (Lab.FaultOutcome f : r.faults()) {
            assertTrue(Double.isFinite(f.recoverySeconds()), "recovery measured within the run: " + f);
            assertEquals(f == cut ? 0 : -1, f.servedOverCutLink(), f.toString());
        }
        assertTrue(p.completed() > p.produced() * 0.9, p.toString());

        assertTrue(lines.size() > 20, "the capture saw the run's log: " + lines.size() + " lines");
        List<String> leaks = lines.stream().filter(l -> l.contains(MARKER)).limit(5).toList();
        assertEquals(List.of(), leaks, "prompt content or a user id in a log line");
        // Nor in the lab's own progress lines, nor in what the agents told the language model.
        String said = labOutput.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!said.contains(MARKER), "prompt content or a user id in the lab's output");
        assertTrue(said.contains("requests to the language model carrying the planted marker: 0"), said);
    }

    /** {@code copy} and standard error at once. */
    private static java.io.OutputStream tee(java.io.ByteArrayOutputStream copy) {
        return new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                copy.write(b);
                System.err.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                System.err.write(b, off, len);
            }
        };
    }

    /** Every log event: edgeweave's loggers at every level, the others at INFO and up, into {@code lines}. */
    private static AbstractAppender capture(List<String> lines) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        AbstractAppender a = new AbstractAppender("chaos-marker-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                lines.add(e.getLoggerName() + " " + e.getLevel() + " " + e.getMessage().getFormattedMessage()
                        + (e.getThrown() != null ? " " + e.getThrown() : ""));
            }
        };
        a.start();
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        // The console keeps to WARN and up, as log4j2-test.properties has it, while the capture sees more.
        Appender console = ctx.getConfiguration().getAppender("out");
        root.removeAppender("out");
        root.addAppender(console, Level.WARN, null);
        root.addAppender(a, Level.INFO, null);
        root.setLevel(Level.INFO);
        LoggerConfig edgeweave = ctx.getConfiguration().getLoggerConfig("dev.edgeweave");
        edgeweave.addAppender(a, Level.ALL, null);
        edgeweave.setLevel(Level.ALL);
        ctx.updateLoggers();
        return a;
    }

    private static void detach(AbstractAppender a) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.removeAppender(a.getName());
        Appender console = ctx.getConfiguration().getAppender("out");
        root.removeAppender("out");
        root.addAppender(console, null, null);
        root.setLevel(Level.WARN);
        LoggerConfig edgeweave = ctx.getConfiguration().getLoggerConfig("dev.edgeweave");
        edgeweave.removeAppender(a.getName());
        edgeweave.setLevel(Level.INFO);
        ctx.updateLoggers();
        a.stop();
    }
}
