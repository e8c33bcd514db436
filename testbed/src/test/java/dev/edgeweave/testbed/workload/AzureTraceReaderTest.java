package dev.edgeweave.testbed.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.testbed.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureTraceReaderTest {

    /** The trace shipped in the repository. */
    static final Path REAL_TRACE = ScenarioLoader.findRepositoryRoot(Path.of("").toAbsolutePath())
            .resolve("testbed/traces/azure-llm-2023-conv.csv").normalize();

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        return Files.writeString(dir.resolve("trace.csv"), String.join("\r\n", lines));
    }

    @Test
    void readsOffsetsAndTokensIntoArrays() throws IOException {
        Path f = file("TIMESTAMP,ContextTokens,GeneratedTokens",
                "2023-11-16 18:15:46.6805900,374,44",
                "2023-11-16 18:15:50.9951690,396,109",
                "2023-11-16 18:15:51.2224670,879,55");
        TraceReadResult r = AzureTraceReader.read(f);

        assertEquals(3, r.rows());
        assertEquals(0, r.skipped());
        assertEquals(LocalDateTime.of(2023, 11, 16, 18, 15, 46, 680_590_000), r.firstTimestamp());
        assertArrayEquals(new double[] {0.0, 4.314579, 4.541877}, r.offsetsSeconds(), 1e-9);
        assertArrayEquals(new int[] {374, 396, 879}, r.contextTokens());
        assertArrayEquals(new int[] {44, 109, 55}, r.generatedTokens());
        assertEquals(2 / 4.541877, r.meanRatePerSecond(), 1e-9);
        assertEquals(List.of(), r.problems());
    }

    @Test
    void malformedRowsAreCountedSkippedAndNamedByFileLineAndField() throws IOException {
        Path f = file("TIMESTAMP,ContextTokens,GeneratedTokens",
                "2023-11-16 18:00:00.0,100,10",      // line 2: fine
                "2023-11-16 18:00:01,200",            // 3: two columns
                "yesterday,300,30",                   // 4: bad timestamp
                "2023-11-16 18:00:02.5,-4,30",        // 5: negative tokens
                "2023-11-16 18:00:03.0,400,lots",     // 6: non-numeric tokens
                "2023-02-30 18:00:03.0,400,40",       // 7: not a real date
                "2023-11-16 18:00:04.0,500,50",       // 8: fine
                "2023-11-16 17:59:00.0,600,60",       // 9: back 64 s, beyond the tolerance
                "2023-11-16 18:00:03.5,700,70",       // 10: back 0.5 s, within it: kept, clamped
                "",                                    // 11: empty row
                "2023-11-16 18:00:05.0,900,90,7",     // 12: four columns
                "2023-11-16 18:00:06.0, 800 ,80");     // 13: fine (spaces around a count)
        TraceReadResult r = AzureTraceReader.read(f);

        assertEquals(4, r.rows());
        assertEquals(8, r.skipped());
        assertEquals(1, r.clampedBackwards());
        assertArrayEquals(new double[] {0, 4, 4, 6}, r.offsetsSeconds(), 1e-9, "the clamped row sits at the latest time");
        assertArrayEquals(new int[] {100, 500, 700, 800}, r.contextTokens());
        List<String> p = r.problems();
        assertEquals(8, p.size());
        String name = f.toString();
        assertEquals(name + ":3: row: expected 3 columns, found 2", p.get(0));
        assertTrue(p.get(1).startsWith(name + ":4: TIMESTAMP: not a timestamp"), p.get(1));
        assertEquals(name + ":5: ContextTokens: negative token count '-4'", p.get(2));
        assertEquals(name + ":6: GeneratedTokens: not a whole number of tokens: 'lots'", p.get(3));
        assertTrue(p.get(4).startsWith(name + ":7: TIMESTAMP:"), p.get(4));
        assertTrue(p.get(5).startsWith(name + ":9: TIMESTAMP: goes back 64.000 s"), p.get(5));
        assertEquals(name + ":11: row: empty row", p.get(6));
        assertEquals(name + ":12: row: expected 3 columns, found 4", p.get(7));
    }

    @Test
    void onlyTheFirstFewProblemsAreKeptButAllAreCounted() throws IOException {
        String[] lines = new String[40];
        lines[0] = "TIMESTAMP,ContextTokens,GeneratedTokens";
        lines[1] = "2023-11-16 18:00:00,1,1";
        for (int i = 2; i < lines.length; i++) {
            lines[i] = "bad";
        }
        TraceReadResult r = AzureTraceReader.read(file(lines));
        assertEquals(38, r.skipped());
        assertEquals(AzureTraceReader.MAX_MESSAGES, r.problems().size());
    }

    @Test
    void aMissingEmptyMisheadedOrRowlessFileIsAClearError() throws IOException {
        TraceException missing = assertThrows(TraceException.class, () -> AzureTraceReader.read(dir.resolve("none.csv")));
        assertTrue(missing.getMessage().startsWith("trace file not found: "), missing.getMessage());

        TraceException empty = assertThrows(TraceException.class, () -> AzureTraceReader.read(file()));
        assertTrue(empty.getMessage().startsWith("trace file is empty"), empty.getMessage());

        TraceException header = assertThrows(TraceException.class,
                () -> AzureTraceReader.read(file("time,in,out", "2023-11-16 18:00:00,1,1")));
        assertTrue(header.getMessage().contains(":1: expected the header"), header.getMessage());

        TraceException rowless = assertThrows(TraceException.class,
                () -> AzureTraceReader.read(file("TIMESTAMP,ContextTokens,GeneratedTokens", "x,y,z")));
        assertTrue(rowless.getMessage().startsWith("no valid rows"), rowless.getMessage());
        assertTrue(rowless.getMessage().contains(":2: TIMESTAMP"), rowless.getMessage());
    }

    @Test
    void readsTheRealAzureTrace() {
        TraceReadResult r = AzureTraceReader.read(REAL_TRACE);

        // traces/README.md says 19,365 requests; the file holds 19,366 data rows after its header (all valid).
        assertEquals(19_366, r.rows());
        assertEquals(0, r.skipped());
        assertEquals(LocalDateTime.of(2023, 11, 16, 18, 15, 46, 680_590_000), r.firstTimestamp());
        // "about 5.4 per second" over the hour; (rows - 1) / span = 5.53 over the 3,502 s the rows span.
        assertEquals(19_366 / 3600.0, 5.38, 0.01);
        assertEquals(5.53, r.meanRatePerSecond(), 0.01);
        assertEquals(3501.7, r.spanSeconds(), 0.1);
        for (int i = 1; i < r.rows(); i++) {
            assertTrue(r.offsetSeconds(i) >= r.offsetSeconds(i - 1));
        }
    }
}
