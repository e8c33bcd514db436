package dev.edgeweave.testbed.cli;

import dev.edgeweave.testbed.bench.SchedulerBench;
import dev.edgeweave.testbed.bench.SchedulerBenchResult;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./edgeweave bench scheduler}: the streams scheduler against a pass-through topology on city-100, and
 * the time of one routing decision ({@link SchedulerBench}).
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = {"Routes city-100 prompts through the streams scheduler and through a decode/re-encode "
                + "pass-through topology (exactly-once, same broker, partitions and commit interval), times single "
                + "routing decisions, and prints one JSON line last: routedPerSec, passThroughPerSec, ratio, "
                + "decisionP99Micros, servers, models, records.",
                "Starts a Kafka broker in this JVM unless --bootstrap (or -Dkafka.bootstrap) names one. The routed "
                        + "prompts land on node.<id>.prompts: do not point it at a broker whose servers consume them."})
public final class SchedulerBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--records", defaultValue = "1000000",
            description = "Prompts per run. Default: ${DEFAULT-VALUE}.")
    long records;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of each topology; each figure is their median. "
            + "Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "Uncounted runs of each topology before the "
            + "counted ones, so the JIT's compiling is not measured. Default: ${DEFAULT-VALUE}.")
    int warmups;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "A Kafka broker to use instead of starting one in this JVM (default: -Dkafka.bootstrap if set).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT30M",
            description = "Longest one run may take (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        String broker = bootstrap != null ? bootstrap
                : System.getProperty(KafkaBrokerExtension.BOOTSTRAP_PROPERTY, "").isBlank() ? null
                : System.getProperty(KafkaBrokerExtension.BOOTSTRAP_PROPERTY).trim();
        SchedulerBenchResult result = new SchedulerBench(System.err)
                .run(new SchedulerBench.Options(records, runs, warmups, Optional.ofNullable(broker), timeout));
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.toJson());
        out.flush();
        return 0;
    }
}
