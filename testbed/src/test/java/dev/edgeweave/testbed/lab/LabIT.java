package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 30-second lab as a user runs it: a Kafka broker as its own process (infra/broker.sh on free ports), the
 * scheduler, the planner, a connector per bristol-7 server with emulated GPUs, the dashboard on a free port;
 * 30 wall seconds of the workload at speed-up 10, drained. Checks the invariant from the topics (every prompt
 * ends with exactly one terminal record), the files the lab writes, and what the dashboard shows.
 */
class LabIT {

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void aThirtySecondLabLosesNoPrompt(@TempDir Path out) throws Exception {
        Lab lab = new Lab(System.err);
        Lab.Result r = lab.run(new Lab.Options("bristol-7", 30, 10, 1, 1.0, Optional.empty(), List.of(),
                List.of(), Duration.ofMillis(50), 5, Duration.ofSeconds(90)),
                new Lab.Where(Optional.empty(), OptionalInt.of(0), BrokerProcess.repoRoot()));
        Lab.Pipeline p = r.pipeline();
        assertTrue(p.produced() > 1000, p.produced() + " prompts produced");
        assertEquals(0, p.lost(), "every prompt ended exactly once: " + p);
        assertEquals(0, p.deadLettered(), "the lab's prompts are all valid: " + p);
        assertEquals(p.produced(), p.completed() + p.rejected(), p.toString());
        assertTrue(p.completed() > p.produced() * 0.9, p.toString());
        assertTrue(p.schedulingOverheadP99Ms() > 0, "prompts reached their servers: " + p);
        assertTrue(p.dispatchHopSeconds() > 0 && p.answerHopSeconds() > 0, "both hops measured: " + p);
        assertTrue(r.memory().brokerPeakBytes() > 0, "the broker ran as a process of its own: " + r.memory());
        assertTrue(r.invariants().holds(), r.invariants().toString());
        assertTrue(r.invariants().accepted() >= p.produced(), "warm-up prompts are checked too: " + r.invariants());

        LabReport report = new LabReport(r);
        assertTrue(report.live().normalizedJainSlowdown() > 0 && report.live().normalizedJainSlowdown() <= 1,
                report.live().toString());
        assertTrue(report.testbed().meanLatencyS() > 0, report.testbed().toString());
        report.write(out, "0".repeat(64), "unknown");
        JsonNode json = new ObjectMapper().readTree(out.resolve(LabReport.SUMMARY).toFile());
        assertEquals(0, json.path("pipeline").path("lost").asLong());
        assertEquals(p.produced(), json.path("pipeline").path("produced").asLong());
        assertEquals("edgeweave", json.path("policies").path(0).path("name").asText());
        assertEquals(report.testbed().meanLatencyS(), json.path("testbedMeanLatencyS").asDouble(), 1e-3);
        assertTrue(Files.readString(out.resolve(LabReport.REPORT)).contains("**Agreement**"));

        JsonNode view = new ObjectMapper().readTree(lab.dashboardJson());
        assertEquals(7, view.path("servers").size(), "every bristol-7 server's state reached the dashboard");
        assertTrue(view.path("decisions").size() > 0, "the agents' decisions reached the dashboard");
        assertEquals(p.completed(), view.path("progress").path("completed").asLong());
    }
}
