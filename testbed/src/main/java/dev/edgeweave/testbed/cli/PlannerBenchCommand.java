package dev.edgeweave.testbed.cli;

import dev.edgeweave.testbed.bench.PlannerBench;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./edgeweave bench planner}. */
@Command(name = "planner", mixinStandardHelpOptions = true,
        description = {"The planner job on a local Flink MiniCluster and an in-JVM Kafka broker: events per second "
                + "through its short windows (bristol-7's servers and workload), and the wall time from the event that "
                + "closes a window to the window's summary on its topic (median over a live run on a city clock 10x "
                + "the wall clock).",
                "Prints progress on standard error and one JSON line last on standard output: "
                        + "{\"eventsPerSec\": x, \"windowLatencyMs\": x, \"events\": N, \"windows\": N}."})
public final class PlannerBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the throughput run. "
            + "Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--live-seconds", defaultValue = "40", description = "Wall seconds of the live latency run. "
            + "Default: ${DEFAULT-VALUE}.")
    int liveSeconds;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "A Kafka broker to use instead of starting one in this JVM (default: -Dkafka.bootstrap if set).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        String broker = bootstrap != null ? bootstrap
                : System.getProperty(KafkaBrokerExtension.BOOTSTRAP_PROPERTY, "").isBlank() ? null
                : System.getProperty(KafkaBrokerExtension.BOOTSTRAP_PROPERTY).trim();
        PlannerBench.Result result = new PlannerBench(System.err)
                .run(new PlannerBench.Options(events, liveSeconds, Optional.ofNullable(broker)));
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.toJson());
        out.flush();
        return 0;
    }
}
