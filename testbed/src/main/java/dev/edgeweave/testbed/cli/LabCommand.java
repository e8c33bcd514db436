package dev.edgeweave.testbed.cli;

import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.Settings;
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.lab.BrokerProcess;
import dev.edgeweave.testbed.lab.Lab;
import dev.edgeweave.testbed.lab.LabReport;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./edgeweave lab}: the whole pipeline on this machine, replaying a scenario's workload. */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole pipeline on this machine: a Kafka broker process (infra/broker.sh), the "
                + "scheduler (Kafka Streams), the planner (Flink, embedded), one connector per server of the scenario "
                + "with emulated GPUs, all on one city clock; replays the first DURATION x SPEEDUP city seconds of the "
                + "scenario's workload as Prompt records, drains, stops everything it started, and writes "
                + "summary.json and report.md (the live figures beside the testbed's for the same span, seed and "
                + "load). A live dashboard is served on http://127.0.0.1:8080 while it runs.",
                "Prints a progress line every 5 s on standard error and one JSON line last on standard output. "
                        + "Exit 0 when no prompt was lost and the invariants hold; 1 otherwise, or on an error (the message says which)."})
public final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "bristol-7", description = "A bundled scenario (${COMPLETION-CANDIDATES}) or a scenario file. Default: ${DEFAULT-VALUE}.",
            completionCandidates = BuiltIn.class)
    String scenario;

    @Option(names = "--duration", defaultValue = "120", description = "Wall seconds of workload. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(names = "--speedup", defaultValue = "10", description = "City seconds per wall second. Default: ${DEFAULT-VALUE}.")
    double speedup;

    @Option(names = "--seed", defaultValue = "1", description = "Workload seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--load", defaultValue = "1.0", description = "Offered load, 1.0 = the scenario's reference. Default: ${DEFAULT-VALUE}.")
    double load;

    @Option(names = "--trace", paramLabel = "FILE", description = "A CSV in the Azure LLM trace format replacing the scenario's chat trace.")
    Path trace;

    @Option(names = "--fail", paramLabel = "NODE@S[+D]", description = "Kill a server's connector at city second S "
            + "(NODE a server id or 'busiest'), restarting it D city seconds later when given. Repeatable.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--chaos", paramLabel = "PLAN", description = "A file of timed faults, one per line (city "
            + "seconds of the replay): kill-node:<id|busiest>@S, restart-node:<id|killed>@S, restart-scheduler@S, "
            + "restart-planner@S (from its last checkpoint), restart-broker@S, and over a span llm-down@S..E, "
            + "llm-garbage@S..E, llm-slow@S..E (a plan with these runs the short-term and long-term agents on their "
            + "LLM brains against a scripted model endpoint), partition-link:<ap>/<node>@S..E. See infra/chaos/.")
    Path chaos;

    @Option(names = "--out", paramLabel = "DIR", description = "Where summary.json and report.md go. Default: target/lab/<scenario>.")
    Path out;

    @Option(names = "--no-dashboard", description = "Serve no dashboard.")
    boolean noDashboard;

    @Option(names = "--dashboard-port", defaultValue = "8080", description = "The dashboard's port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    int dashboardPort;

    @Option(names = "--commit-interval", defaultValue = "50", paramLabel = "MS", description = "The scheduler's "
            + "exactly-once commit interval, ms: downstream readers see its output only after a commit. Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "SECONDS", description = "Wall seconds of the "
            + "workload's own first prompts sent through the pipeline before the measured replay, not counted: the "
            + "JVMs compile their hot paths meanwhile. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A running Kafka broker to use instead of "
            + "starting one. Every component and the lab's own clients then take the same Kafka client settings: "
            + "EDGEWEAVE_KAFKA_SASL_USERNAME and EDGEWEAVE_KAFKA_SASL_PASSWORD for SCRAM-SHA-512, any other "
            + "EDGEWEAVE_KAFKA_<NAME> (or a properties file named by EDGEWEAVE_CONFIG).")
    String bootstrap;

    /** The bundled scenarios, for the help text. */
    static final class BuiltIn extends ArrayList<String> {
        BuiltIn() {
            super(ScenarioLoader.BUILT_IN);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        List<FailureEvent> failures = new ArrayList<>();
        for (String f : fail) {
            failures.add(FailureEvent.parse(f));
        }
        if (trace != null && !Files.isReadable(trace)) {
            throw new IllegalArgumentException("--trace " + trace + ": no such readable file");
        }
        if (!noDashboard && (dashboardPort < 0 || dashboardPort > 65535)) {
            throw new IllegalArgumentException("--dashboard-port must be in [0, 65535], was " + dashboardPort);
        }
        List<dev.edgeweave.testbed.lab.Fault> faults = chaos == null ? List.of()
                : dev.edgeweave.testbed.lab.Fault.readPlan(chaos);
        Lab.Options o = new Lab.Options(scenario, duration, speedup, seed, load, Optional.ofNullable(trace), failures,
                faults, Duration.ofMillis(commitIntervalMs), warmup, Duration.ofSeconds(120));
        // A broker the lab starts itself is PLAINTEXT; one named by --bootstrap gets the client settings.
        KafkaClientSettings kafka = bootstrap == null ? KafkaClientSettings.plaintext()
                : KafkaClientSettings.from(Settings.fromSystem(Map.of(), "EDGEWEAVE"));
        Lab.Where where = new Lab.Where(Optional.ofNullable(bootstrap),
                noDashboard ? OptionalInt.empty() : OptionalInt.of(dashboardPort),
                bootstrap != null ? Path.of("").toAbsolutePath() : BrokerProcess.repoRoot(), kafka);
        Lab.Result r = new Lab(err).run(o, where);
        LabReport report = new LabReport(r);
        Path dir = out != null ? out : Path.of("target", "lab", r.scenarioName());
        report.write(dir, EvaluateCommand.scenarioSha256(new ScenarioLoader(), scenario), EvaluateCommand.gitCommit());
        Lab.Pipeline p = r.pipeline();
        err.printf(Locale.ROOT, "lab: live mean latency %.3f s, testbed %.3f s (lab / testbed %.3f: %s %.0f %%)%n",
                report.live().meanLatencyS(), report.testbed().meanLatencyS(), report.ratio(),
                report.agrees() ? "within" : "NOT within", LabReport.AGREEMENT * 100);
        err.println("lab: wrote " + dir.resolve(LabReport.SUMMARY) + " and " + dir.resolve(LabReport.REPORT));
        PrintWriter json = spec.commandLine().getOut();
        json.println(String.format(Locale.ROOT, "{\"produced\": %d, \"completed\": %d, \"rejected\": %d, "
                        + "\"deadLettered\": %d, \"lost\": %d, \"meanLatencyS\": %s, \"p95LatencyS\": %s, "
                        + "\"normalizedJain\": %s, \"testbedMeanLatencyS\": %s, \"schedulingOverheadP99Ms\": %s, "
                        + "\"peakResidentMiB\": %s, \"invariantsHold\": %s}", p.produced(), p.completed(),
                p.rejected(), p.deadLettered(), p.lost(), num(report.live().meanLatencyS()),
                num(report.live().p95LatencyS()), num(report.live().normalizedJainSlowdown()),
                num(report.testbed().meanLatencyS()), num(p.schedulingOverheadP99Ms()),
                num(report.memory().totalBytes() / (1024.0 * 1024.0)), r.invariants().holds()));
        json.flush();
        if (!r.invariants().holds()) {
            err.println("lab: the invariants do not hold: " + r.invariants());
        }
        return p.lost() == 0 && r.invariants().holds() ? 0 : 1;
    }

    private static String num(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : "null";
    }
}
