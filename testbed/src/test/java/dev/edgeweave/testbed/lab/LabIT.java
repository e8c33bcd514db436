package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A short lab: the whole pipeline (scheduler, planner, a connector per bristol-7 server with emulated GPUs) on
 * the in-JVM broker, 20 wall seconds of the workload at speed-up 10 and half load, drained; every prompt ends
 * with exactly one terminal record (read from the topics).
 */
@ExtendWith(KafkaBrokerExtension.class)
class LabIT {

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aShortLabLosesNoPrompt(KafkaBroker broker) throws Exception {
        Lab.Result r = new Lab(System.err).run(new Lab.Options("bristol-7", 20, 10, 1, 0.5, Duration.ofSeconds(90)),
                broker.bootstrapServers());
        assertTrue(r.produced() > 100, r.produced() + " prompts produced");
        assertEquals(0, r.lost(), "every prompt ended exactly once: " + r);
        assertEquals(r.produced(), r.completed() + r.rejected());
        assertTrue(r.completed() > r.produced() / 2, r.toString());
        assertTrue(r.schedulingOverheadP99Ms() > 0, "prompts reached their servers: " + r.schedulingOverheadP99Ms());
        assertTrue(r.normalizedJainSlowdown() > 0 && r.normalizedJainSlowdown() <= 1, r.toString());
        java.nio.file.Path summary = java.nio.file.Files.createTempDirectory("lab").resolve("summary.json");
        dev.edgeweave.testbed.cli.LabCommandAccess.write(summary, new Lab.Options("bristol-7", 20, 10, 1, 0.5,
                Duration.ofSeconds(90)), r);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile());
        assertEquals(0, json.path("pipeline").path("lost").asLong());
        assertEquals("edgeweave", json.path("policies").path(0).path("name").asText());
    }
}
