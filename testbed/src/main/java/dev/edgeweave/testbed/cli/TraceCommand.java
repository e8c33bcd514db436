package dev.edgeweave.testbed.cli;

import dev.edgeweave.schemas.topic.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./edgeweave trace <promptId>}: every record of one prompt across the topics, in time order. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Prints every record keyed by one prompt id across the topics a prompt goes through (prompts, "
                + "every node.<id>.prompts, node-results, prompt-completions, prompt-rejections, prompts-dlq), "
                + "decoded, in time order: its whole life. " + KafkaClient.HELP)
public final class TraceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROMPT_ID")
    String promptId;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        List<String> topics = new ArrayList<>(List.of(Topics.PROMPTS.name(), Topics.NODE_RESULTS.name(),
                Topics.PROMPT_COMPLETIONS.name(), Topics.PROMPT_REJECTIONS.name(), Topics.PROMPTS_DLQ.name()));
        KafkaClient kafka = KafkaClient.connect(bootstrap);
        try (Admin admin = Admin.create(kafka.properties())) {
            for (String name : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (Topics.nodeIdOf(name).isPresent()) {
                    topics.add(name);
                }
            }
        }
        List<Records.Line> lines = Records.read(kafka, topics, promptId::equals, 0);
        PrintWriter out = spec.commandLine().getOut();
        if (lines.isEmpty()) {
            spec.commandLine().getErr().println("edgeweave: no record of prompt " + promptId + " on " + topics.size()
                    + " topics");
            return 1;
        }
        lines.stream().sorted(Comparator.comparing(Records.Line::timestamp).thenComparing(Records.Line::topic))
                .forEach(out::println);
        out.flush();
        return 0;
    }
}
