package dev.edgeweave.testbed.cli;

import dev.edgeweave.schemas.topic.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Bad files into {@code ./edgeweave produce} against a live broker: a file whose second line is malformed JSON,
 * and one whose second line carries 10 MiB of content. Each must be refused with an error naming its line (and
 * the field), and nothing of the file produced: the end offsets of {@code prompts} do not move (the caller sends
 * nothing else meanwhile).
 */
public final class ProduceRefusals {

    /** 10 MiB of inline text. */
    static final int BIG = 10 * 1024 * 1024;

    /**
     * One bad file's run.
     *
     * @param file            what it held
     * @param exitCode        the command's exit status
     * @param error           what it printed on standard error
     * @param printedIds      what it printed on standard output (the ids of prompts produced)
     * @param produced        records that reached {@code prompts} meanwhile
     * @param refused         whether it was refused as it must be: exit 1, the line named, nothing produced
     */
    public record Refusal(String file, int exitCode, String error, String printedIds, long produced,
                          boolean refused) {
    }

    private ProduceRefusals() {
    }

    /** Runs both bad files through {@code produce} against {@code bootstrap}, files written under {@code dir}. */
    public static List<Refusal> check(String bootstrap, Path dir) throws Exception {
        String good = "{\"promptId\": \"produce-check-" + UUID.randomUUID() + "\", \"modelId\": \"llama-3.1-8b-instruct\", "
                + "\"sizes\": {\"inputTokens\": 20, \"outputTokens\": 10}, \"content\": {\"text\": \"hello\"}}";
        Path malformed = dir.resolve("malformed.jsonl");
        Files.writeString(malformed, good + "\n{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 10\n");
        Path big = dir.resolve("ten-mib.jsonl");
        StringBuilder line = new StringBuilder(BIG + 200);
        line.append("{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 10, \"outputTokens\": 10}, "
                + "\"content\": {\"text\": \"");
        line.append("a".repeat(BIG));
        line.append("\"}}");
        Files.writeString(big, good + "\n" + line + "\n", StandardCharsets.UTF_8);
        List<Refusal> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = c.partitionsFor(Topics.PROMPTS.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            for (Path file : List.of(malformed, big)) {
                long before = total(c.endOffsets(partitions, Duration.ofSeconds(30)));
                StringWriter err = new StringWriter();
                StringWriter printed = new StringWriter();
                int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(printed))
                        .execute("produce", file.toString(), "--bootstrap", bootstrap);
                long produced = total(c.endOffsets(partitions, Duration.ofSeconds(30))) - before;
                String e = err.toString().strip();
                boolean refused = code == 1 && e.contains(file + ":2: ") && printed.toString().isBlank() && produced == 0;
                out.add(new Refusal(file.getFileName().toString(), code, e, printed.toString().strip(), produced,
                        refused));
            }
        }
        return out;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
}
