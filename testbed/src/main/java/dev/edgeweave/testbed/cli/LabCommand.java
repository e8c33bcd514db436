package dev.edgeweave.testbed.cli;

import dev.edgeweave.testbed.lab.Lab;
import dev.edgeweave.testing.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./edgeweave lab}: the whole pipeline on this machine, replaying a scenario's workload. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline on this machine: the scheduler (Kafka Streams), the planner (Flink, "
                + "embedded), one connector per server of the scenario with emulated GPUs, all on one city clock; "
                + "replays the scenario's workload as Prompt records for DURATION x SPEEDUP city seconds, drains, and "
                + "prints what it measured from the topics (one JSON line last).",
                "Uses an in-JVM Kafka broker unless --bootstrap names one."})
public final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "bristol-7", description = "Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--duration", defaultValue = "120", description = "Wall seconds of workload. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(names = "--speedup", defaultValue = "10", description = "City seconds per wall second. Default: ${DEFAULT-VALUE}.")
    double speedup;

    @Option(names = "--seed", defaultValue = "1", description = "Workload seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--load", defaultValue = "1.0", description = "Offered load, 1.0 = the scenario's reference. Default: ${DEFAULT-VALUE}.")
    double load;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A running Kafka broker to use.")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        Lab.Options o = new Lab.Options(scenario, duration, speedup, seed, load, Duration.ofSeconds(120));
        PrintStream err = System.err;
        EmbeddedKafka embedded = null;
        String broker = bootstrap;
        if (broker == null) {
            embedded = EmbeddedKafka.startQuietly(err);
            broker = embedded.bootstrapServers();
        }
        try {
            Lab.Result r = new Lab(err).run(o, broker);
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "{\"produced\": %d, \"completed\": %d, \"rejected\": %d, \"lost\": %d, "
                            + "\"meanLatencyS\": %.3f, \"p95LatencyS\": %.3f}", r.produced(), r.completed(), r.rejected(),
                    r.lost(), r.meanLatencySeconds(), r.p95LatencySeconds()));
            out.flush();
            return r.lost() == 0 ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
