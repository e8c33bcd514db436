package dev.edgeweave.testbed.cli;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./edgeweave tail <topic>}: a topic's last records, decoded. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Prints the last records of any edgeweave topic (prompts, node-results, node-state, "
                + "node.<id>.prompts, prompts-dlq, ...), decoded by its schema, one per line: time, topic-partition@offset, "
                + "key, record. Read committed only. " + KafkaClient.HELP)
public final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = {"-n", "--records"}, defaultValue = "20", description = "Records per partition (0: all). "
            + "Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Override
    public Integer call() {
        if (records < 0) {
            throw new IllegalArgumentException("--records must be >= 0, was " + records);
        }
        List<Records.Line> lines = Records.read(KafkaClient.connect(bootstrap), List.of(topic), k -> true, records);
        PrintWriter out = spec.commandLine().getOut();
        lines.stream().sorted(Comparator.comparing(Records.Line::timestamp)).forEach(out::println);
        out.flush();
        return 0;
    }
}
