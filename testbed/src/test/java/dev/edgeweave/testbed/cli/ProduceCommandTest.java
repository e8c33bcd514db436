package dev.edgeweave.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./edgeweave produce} refuses a bad file whole, naming the line and what is wrong, before it connects to
 * any broker: the bootstrap here is a closed port, so a command that tried to produce would fail otherwise
 * (after its 15-s block), and the file's good first line is never printed as produced. {@code FuzzIT} runs the
 * same files against a live broker and checks that the topic does not move.
 */
class ProduceCommandTest {

    private static final String GOOD = "{\"promptId\": \"p-good\", \"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": "
            + "{\"inputTokens\": 20, \"outputTokens\": 10}, \"content\": {\"text\": \"hello\"}}";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run produce(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cli.execute("produce", file.toString(), "--bootstrap", "127.0.0.1:9");
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void malformedJsonIsRefusedWithItsLineAndNothingIsProduced() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, GOOD + "\n\n{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 10\n" + GOOD);
        Run r = produce(f);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("edgeweave: " + f + ":3: not a JSON object"), r.err());
        assertEquals("", r.out(), "no prompt id printed: nothing produced");
        assertTrue(r.err().length() < 1000, "a clear one-line error, not a stack trace: " + r.err());
    }

    @Test
    void tenMibOfContentIsRefusedNamingTheLimitAndTheLine() throws Exception {
        Path f = dir.resolve("big.jsonl");
        Files.writeString(f, GOOD + "\n{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 10}, "
                + "\"content\": {\"text\": \"" + "a".repeat(ProduceRefusals.BIG) + "\"}}\n");
        Run r = produce(f);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("edgeweave: " + f + ":2: content of 10485760 bytes is over the inline limit "
                + "of 262144 bytes"), r.err());
        assertEquals("", r.out());
        // as base64 too: 10 MiB of bytes
        Files.writeString(f, "{\"modelId\": \"whisper-large-v3\", \"sizes\": {\"audioSeconds\": 10}, \"content\": "
                + "{\"base64\": \"" + java.util.Base64.getEncoder().encodeToString(new byte[ProduceRefusals.BIG])
                + "\", \"mediaType\": \"audio/wav\"}}\n");
        r = produce(f);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("edgeweave: " + f + ":1: content of 10485760 bytes is over the inline limit"),
                r.err());
    }
}
