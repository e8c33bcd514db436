package dev.edgeweave.testbed.cli;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.Prompt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./edgeweave produce}: JSON lines (a file or standard input) into {@code Prompt} records. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Reads one JSON object per line (a file, or standard input) with the Prompt record's field "
                + "names and produces each as a Prompt to the prompts topic, keyed by its id.",
                "Example line: {\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 200, "
                        + "\"outputTokens\": 100}, \"content\": {\"text\": \"Where is the nearest charger?\"}}",
                "promptId defaults to a fresh UUID, createdAt to now, sloSeconds to 30; content is {\"text\": ...}, "
                        + "{\"base64\": ..., \"mediaType\": ...} or {\"uri\": ..., \"mediaType\": ..., \"sizeBytes\": "
                        + "...}; inline content over 256 KiB is refused. A bad line is reported with its number and "
                        + "nothing of the file is produced.", KafkaClient.HELP})
public final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "JSON lines; standard input if absent.")
    Path file;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Override
    public Integer call() throws IOException, Exception {
        PromptLines lines = new PromptLines(ModelCatalog.standard(), Clock.systemUTC());
        java.util.List<Prompt> prompts = new java.util.ArrayList<>();
        try (BufferedReader in = file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    prompts.add(lines.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException((file != null ? file + ":" : "line ") + number + ": "
                            + e.getMessage());
                }
            }
        }
        AvroCodec<Prompt> codec = AvroCodec.of(Prompt.class);
        Properties props = KafkaClient.connect(bootstrap).properties();
        props.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (Prompt p : prompts) {
                producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), p.getPromptId().getBytes(StandardCharsets.UTF_8),
                        codec.encode(p))).get(30, TimeUnit.SECONDS);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Prompt p : prompts) {
            out.println(p.getPromptId());
        }
        out.flush();
        spec.commandLine().getErr().println("edgeweave: produced " + prompts.size() + " prompt(s) to "
                + Topics.PROMPTS.name() + " at " + bootstrap);
        return 0;
    }
}
