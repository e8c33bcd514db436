package dev.edgeweave.testbed.report;

import static dev.edgeweave.core.model.ModelClass.CHAT;
import static dev.edgeweave.core.model.ModelClass.VISION_LANGUAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.testbed.engine.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptCsvTest {

    @Test
    void oneRowPerPromptUnderTheHeader(@TempDir Path dir) throws IOException {
        RunResult r = RunResultFixture.run("edgeweave", 3)
                .prompt(0.25, 0, 7, 2, 1, 1, true, 0.3125, 1.25, 2, 1)
                .prompt(1.5, 1, 4, 0, -1, 3, false, 8, 4, 8, 1)
                .prompt(2, 0, 7, 1, 0, 2, true, 2.5, 10, 2, 1)
                .prompt(3, 1, 1, 1, -1, 1, false, 0, 0, 8, 0)
                .build();
        Path file = dir.resolve("prompts.csv");
        PromptCsv.write(file, r, List.of("qwen-7b", "llava,13b"), List.of(CHAT, VISION_LANGUAGE),
                List.of("s-a", "s-b"));

        List<String> lines = Files.readAllLines(file);
        assertEquals(1 + r.size(), lines.size());
        assertEquals("policy,seed,prompt,arrivalS,class,model,user,accessPoint,server,attempts,outcome,latencyS,"
                + "slowdown,sloS,withinSlo", lines.get(0));
        assertEquals("edgeweave,3,0,0.25,CHAT,qwen-7b,7,2,s-b,1,completed,0.3125,1.25,2,true", lines.get(1));
        assertEquals("edgeweave,3,1,1.5,VISION_LANGUAGE,\"llava,13b\",4,0,,3,rejected,8,4,8,false", lines.get(2),
                "a rejection has no server, its latency at the SLO, and an id with a comma is quoted");
        assertEquals("edgeweave,3,2,2,CHAT,qwen-7b,7,1,s-a,2,completed,2.5,10,2,false", lines.get(3),
                "completed but late is not within the SLO");
        assertEquals("edgeweave,3,3,3,VISION_LANGUAGE,\"llava,13b\",1,1,,1,lost,,,8,false", lines.get(4),
                "a prompt without a terminal record has no latency");
    }

    @Test
    void fixedDecimals() {
        assertEquals("0", PromptCsv.fixed(new StringBuilder(), 0, 6).toString());
        assertEquals("0.000001", PromptCsv.fixed(new StringBuilder(), 1e-6, 6).toString());
        assertEquals("1.05", PromptCsv.fixed(new StringBuilder(), 1.05, 6).toString());
        assertEquals("-12.5", PromptCsv.fixed(new StringBuilder(), -12.5, 4).toString());
        assertEquals("3.1416", PromptCsv.fixed(new StringBuilder(), Math.PI, 4).toString());
        assertEquals("1000", PromptCsv.fixed(new StringBuilder(), 999.99996, 4).toString());
        assertEquals("NaN", PromptCsv.fixed(new StringBuilder(), Double.NaN, 4).toString());
        assertEquals("0", PromptCsv.fixed(new StringBuilder(), 1e-9, 6).toString());
    }

    @Test
    void aMillionRowsIsQuick(@TempDir Path dir) throws IOException {
        int n = 1_000_000;
        double[] arrival = new double[n];
        double[] latency = new double[n];
        double[] slo = new double[n];
        int[] zero = new int[n];
        byte[] ones = new byte[n];
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            arrival[i] = i * 0.0037;
            latency[i] = 0.1 + (i % 997) * 0.0131;
            slo[i] = 5;
            ones[i] = 1;
            ok[i] = i % 50 != 0;
        }
        RunResult r = new RunResult("edgeweave", 1, arrival, zero, zero, zero, zero, ones, ok, latency, latency,
                slo, ones, 0, arrival[n - 1], arrival[n - 1], Double.NaN, 0, 0);
        Path file = dir.resolve("big.csv");
        long start = System.nanoTime();
        PromptCsv.write(file, r, List.of("m"), List.of(CHAT), List.of("s"));
        double seconds = (System.nanoTime() - start) / 1e9;
        try (var lines = Files.lines(file)) {
            assertEquals(n + 1, lines.count());
        }
        // Generous for a shared 2-core machine; typically well under a second.
        assertTrue(seconds < 10, "a million rows took " + seconds + " s");
    }
}
