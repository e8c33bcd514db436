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

    @Option(names = "--out", description = "Where summary.json goes. Default: target/lab/<scenario>.")
    java.nio.file.Path out;

    /** A figure for JSON: null where it could not be measured (NaN is not JSON). */
    private static Double figure(double x) {
        return Double.isFinite(x) ? x : null;
    }

    /** summary.json in the testbed's shape, one policy ({@code edgeweave}) from measured latencies, and the pipeline. */
    static void writeSummary(java.nio.file.Path file, Lab.Options o, Lab.Result r) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = m.createObjectNode().put("scenario", o.scenario()).put("seed", o.seed()).put("load", o.load())
                .put("speedup", o.speedup()).put("durationSeconds", o.durationSeconds());
        var policy = root.putArray("policies").addObject().put("name", "edgeweave")
                .put("meanLatencyS", figure(r.meanLatencySeconds())).put("p50LatencyS", figure(r.p50LatencySeconds()))
                .put("p95LatencyS", figure(r.p95LatencySeconds())).put("p99LatencyS", figure(r.p99LatencySeconds()))
                .put("sloAttainment", figure(r.sloAttainment())).put("normalizedJainSlowdown", figure(r.normalizedJainSlowdown()))
                .put("completed", r.completed()).put("rejected", r.rejected()).put("lost", r.lost());
        var perClass = policy.putObject("perClass");
        r.perClass().forEach((c, v) -> perClass.putObject(c).put("meanLatencyS", v[0] / v[2])
                .put("meanSlowdown", v[1] / v[2]).put("count", (long) v[2]));
        root.putObject("pipeline").put("produced", r.produced()).put("completed", r.completed())
                .put("rejected", r.rejected()).put("lost", r.lost())
                .put("schedulingOverheadP99Ms", figure(r.schedulingOverheadP99Ms()));
        m.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

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
            java.nio.file.Path dir = out != null ? out : java.nio.file.Path.of("target", "lab", scenario);
            java.nio.file.Files.createDirectories(dir);
            writeSummary(dir.resolve("summary.json"), o, r);
            err.println("lab: wrote " + dir.resolve("summary.json"));
            PrintWriter json = spec.commandLine().getOut();
            json.println(String.format(Locale.ROOT, "{\"produced\": %d, \"completed\": %d, \"rejected\": %d, \"lost\": %d, "
                            + "\"meanLatencyS\": %.3f, \"p95LatencyS\": %.3f}", r.produced(), r.completed(), r.rejected(),
                    r.lost(), r.meanLatencySeconds(), r.p95LatencySeconds()));
            json.flush();
            return r.lost() == 0 ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
