package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeweave.testbed.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short {@code ./edgeweave fuzz} as a user runs it: two labs on brokers of their own (infra/broker.sh), the
 * second with 100 bad inputs of every category beside a 5-second workload; every bad input must end dead-lettered
 * or rejected, none completed or unaccounted, and both labs' invariants hold.
 */
class FuzzIT {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyBadInputIsDeadLetteredOrRejectedAndNothingIsLost(@TempDir Path out) throws Exception {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));
        int code = cli.execute("fuzz", "--count", "100", "--duration", "5", "--speedup", "20", "--warmup", "1",
                "--out", out.toString());
        String[] lines = stdout.toString().strip().split("\n");
        JsonNode tally = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(0, code, stdout + "\n" + stderr);
        assertEquals(100, tally.path("sent").asLong(), tally.toString());
        assertEquals(0, tally.path("unaccounted").asLong(), tally.toString());
        assertEquals(0, tally.path("completed").asLong(), tally.toString());
        assertEquals(100, tally.path("deadLettered").asLong() + tally.path("rejected").asLong(), tally.toString());
        assertTrue(tally.path("rejected").asLong() > 0, "the prompts created long ago are rejected: " + tally);
        assertTrue(tally.path("normalMeanLatencyRatio").asDouble() > 0, tally.toString());

        JsonNode file = new ObjectMapper().readTree(out.resolve("fuzz.json").toFile());
        assertEquals(Fuzzer.Category.values().length, file.path("byCategory").size(), file.toString());
        assertEquals(0, file.path("unexpected").asLong(), file.path("examples").toString());
        assertTrue(file.path("invariantsHold").path("baseline").asBoolean()
                && file.path("invariantsHold").path("fuzzed").asBoolean(), file.toString());
        assertEquals(2, file.path("produceRefusals").size());
        for (JsonNode r : file.path("produceRefusals")) {
            assertTrue(r.path("refused").asBoolean(), r.toString());
            assertEquals(0, r.path("produced").asLong(), r.toString());
        }
        assertTrue(out.resolve("baseline").resolve(LabReport.SUMMARY).toFile().isFile());
        assertTrue(out.resolve("fuzzed").resolve(LabReport.SUMMARY).toFile().isFile());
    }
}
