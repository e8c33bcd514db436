package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.testbed.cli.Main;
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.scenario.ScenarioException;
import dev.edgeweave.testbed.workload.TraceException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The lab refuses bad input with a message naming what is wrong, before it starts anything, and stops what it
 * started when a later step fails. The broker here is a scripted stand-in: a fake {@code infra/broker.sh} in a
 * temporary repository root that records each call and fails or succeeds as the test needs (the real script
 * runs in {@code LabIT}).
 */
class LabBadInputTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private Path fakeBroker(String body) throws Exception {
        Path infra = Files.createDirectories(root.resolve("infra"));
        Path script = infra.resolve("broker.sh");
        Files.writeString(script, "#!/usr/bin/env bash\necho \"$@\" >> \"" + root.resolve("calls") + "\"\n" + body);
        return script;
    }

    private boolean brokerCalled() {
        return Files.exists(root.resolve("calls"));
    }

    private static Lab.Options options(String scenario, Optional<Path> trace, List<FailureEvent> failures) {
        return new Lab.Options(scenario, 10, 10, 1, 1.0, trace, failures, List.of(), Duration.ofMillis(50), 0,
                Duration.ofSeconds(10));
    }

    private Lab.Where where(OptionalInt dashboardPort) {
        return new Lab.Where(Optional.empty(), dashboardPort, root);
    }

    @Test
    void anUnknownScenarioIsNamedAndNothingStarts() throws Exception {
        fakeBroker("exit 0\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> new Lab(log).run(
                options("atlantis-3", Optional.empty(), List.of()), where(OptionalInt.empty())));
        assertTrue(e.getMessage().contains("atlantis-3"), e.getMessage());
        assertFalse(brokerCalled(), "no broker was started");
    }

    @Test
    void aTraceThatDoesNotParseIsNamedAndNothingStarts() throws Exception {
        fakeBroker("exit 0\n");
        Path trace = root.resolve("trace.csv");
        Files.writeString(trace, "when,what\nyesterday,lunch\n");
        TraceException e = assertThrows(TraceException.class, () -> new Lab(log).run(
                options("bristol-7", Optional.of(trace), List.of()), where(OptionalInt.empty())));
        assertTrue(e.getMessage().contains(trace.toString()), e.getMessage());
        assertFalse(brokerCalled(), "no broker was started");
    }

    @Test
    void aFailureOfAnUnknownServerIsNamedWithTheServersThereAre() throws Exception {
        fakeBroker("exit 0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lab(log).run(
                options("bristol-7", Optional.empty(), List.of(FailureEvent.parse("edge-99@30"))),
                where(OptionalInt.empty())));
        assertTrue(e.getMessage().contains("edge-99") && e.getMessage().contains("edge-1"), e.getMessage());
        assertFalse(brokerCalled());
    }

    @Test
    void aFailureAfterTheReplayedSpanIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lab.Options("bristol-7",
                10, 10, 1, 1.0, Optional.empty(), List.of(FailureEvent.parse("edge-1@500")), List.of(),
                Duration.ofMillis(50), 0, Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void aFaultAfterTheWorkloadsLastPromptIsRefusedBeforeAnythingStarts() throws Exception {
        fakeBroker("exit 0\n");
        Lab.Options o = new Lab.Options("bristol-7", 300, 10, 1, 1.0, Optional.empty(), List.of(),
                List.of(Fault.parse("restart-broker@2500")), Duration.ofMillis(50), 0, Duration.ofSeconds(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Lab(log).run(o, where(OptionalInt.empty())));
        assertTrue(e.getMessage().contains("restart-broker@2500") && e.getMessage().contains("last prompt"),
                e.getMessage());
        assertFalse(brokerCalled());
    }

    @Test
    void aBrokerRestartNeedsTheLabsOwnBroker() throws Exception {
        fakeBroker("exit 0\n");
        Lab.Options o = new Lab.Options("bristol-7", 30, 10, 1, 1.0, Optional.empty(), List.of(),
                List.of(Fault.parse("restart-broker@100")), Duration.ofMillis(50), 0, Duration.ofSeconds(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lab(log).run(o,
                new Lab.Where(Optional.of("127.0.0.1:9"), OptionalInt.empty(), root)));
        assertTrue(e.getMessage().contains("--bootstrap"), e.getMessage());
    }

    @Test
    void aBusyDashboardPortIsNamedAndNothingStarts() throws Exception {
        fakeBroker("exit 0\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> new Lab(log).run(
                    options("bristol-7", Optional.empty(), List.of()), where(OptionalInt.of(taken.getLocalPort()))));
            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
            assertTrue(e.getMessage().contains("--dashboard-port"), e.getMessage());
        }
        assertFalse(brokerCalled(), "no broker was started");
    }

    @Test
    void aBrokerThatDoesNotStartIsReportedWithItsReasonAndTheDashboardStops() throws Exception {
        fakeBroker("echo 'broker.sh: port 9 on 127.0.0.1 is in use by another process' >&2\nexit 1\n");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Lab(log).run(
                options("bristol-7", Optional.empty(), List.of()), where(OptionalInt.of(port))));
        assertTrue(e.getMessage().contains("did not start") && e.getMessage().contains("in use by another process"),
                e.getMessage());
        assertTrue(brokerCalled());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the dashboard was stopped");
        }
    }

    @Test
    void theCommandLineSaysWhatIsWrongAndExitsNonZero() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute("lab", "--scenario", "atlantis-3", "--no-dashboard", "--bootstrap", "127.0.0.1:9");
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("edgeweave: ") && err.toString().contains("atlantis-3"), err.toString());
        code = cli.execute("lab", "--trace", root.resolve("missing.csv").toString(), "--no-dashboard");
        assertEquals(1, code);
        assertTrue(err.toString().contains("missing.csv"), err.toString());
    }
}
