package dev.edgeweave.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code produce}, {@code tail} and {@code trace} against the real in-JVM broker, through the command line. */
@ExtendWith(KafkaBrokerExtension.class)
class ProduceTailTraceIT {

    @Test
    void producedPromptsShowInTailAndTrace(KafkaBroker broker, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(broker.adminProps())) {
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(Topics.ALL);
        }
        String id = broker.uniqueName("cli");
        Path file = dir.resolve("prompts.jsonl");
        Files.writeString(file, "{\"promptId\": \"" + id + "-1\", \"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": "
                + "{\"inputTokens\": 200, \"outputTokens\": 100}, \"content\": {\"text\": \"hello\"}}\n\n"
                + "{\"promptId\": \"" + id + "-2\", \"modelId\": \"kokoro-82m\", \"sizes\": {\"inputTokens\": 40}, "
                + "\"content\": {\"text\": \"read this aloud\"}}\n");
        EvaluateCommandTest.Run r = EvaluateCommandTest.run("produce", file.toString(), "--bootstrap",
                broker.bootstrapServers());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(id + "-1", id + "-2"), r.out().strip().lines().toList());

        r = EvaluateCommandTest.run("tail", "prompts", "-n", "0", "--bootstrap", broker.bootstrapServers());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(id + "-1") && r.out().contains("\"modelId\": \"kokoro-82m\""), r.out());

        r = EvaluateCommandTest.run("trace", id + "-2", "--bootstrap", broker.bootstrapServers());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().contains(" prompts-") && r.out().contains(id + "-2"), r.out());

        r = EvaluateCommandTest.run("trace", "no-such-prompt", "--bootstrap", broker.bootstrapServers());
        assertEquals(1, r.exitCode());

        // A bad line: nothing of the file is produced, and the line is named.
        Files.writeString(file, "{\"promptId\": \"" + id + "-3\", \"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": "
                + "{\"inputTokens\": 10}, \"content\": {\"text\": \"x\"}}\n{\"modelId\": \"x\", \"colour\": 1}\n");
        r = EvaluateCommandTest.run("produce", file.toString(), "--bootstrap", broker.bootstrapServers());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("prompts.jsonl:2: unknown field 'colour'"), r.err());
        r = EvaluateCommandTest.run("tail", "no-such-topic", "--bootstrap", broker.bootstrapServers());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("unknown topic no-such-topic"), r.err());
    }
}
