package dev.edgeweave.testbed.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeweave.testbed.lab.BrokerProcess;
import dev.edgeweave.testbed.lab.FuzzTally;
import dev.edgeweave.testbed.lab.FuzzTraffic;
import dev.edgeweave.testbed.lab.Fuzzer;
import dev.edgeweave.testbed.lab.Lab;
import dev.edgeweave.testbed.lab.LabReport;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

/**
 * {@code ./edgeweave fuzz}: the lab twice on the same seed, the second time with bad inputs beside the workload;
 * every bad input matched to its end, and the normal traffic's latency compared.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the lab twice with the same scenario and seed, each on a broker of its own: first as "
                + "it is, then with COUNT bad inputs sent on the prompts topic beside the workload, paced over the "
                + "replay, each tagged with the record header " + Fuzzer.FUZZ_ID + " (and " + Fuzzer.FUZZ_CATEGORY
                + "): random bytes, truncated Avro, Avro of another record type, a newer major schema version, "
                + "negative and huge sizes, unknown models, created-at far in the future and the past, duplicate "
                + "prompt ids, inline content over 256 KiB, records a few KiB under the broker's size limit. After "
                + "the drain each is matched to its dead letter or rejection. Before the fuzzed replay, a file with a "
                + "malformed JSON line and one with 10 MiB of content go through './edgeweave produce', which must "
                + "refuse both and produce nothing.",
                "Progress on standard error; the tally as one JSON line last on standard output, and in "
                        + "fuzz.json of --out with each category's ends (beside both runs' summary.json and "
                        + "report.md). Exit 0 when no bad input completed or went unaccounted, both runs' invariants "
                        + "hold, no prompt was lost and produce refused both files; 1 otherwise."})
public final class FuzzCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--count", defaultValue = "1000", description = "Bad inputs in the fuzzed run. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--scenario", defaultValue = "bristol-7", description = "A bundled scenario or a scenario file. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--duration", defaultValue = "60", description = "Wall seconds of workload per run. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(names = "--speedup", defaultValue = "10", description = "City seconds per wall second. Default: ${DEFAULT-VALUE}.")
    double speedup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the workload and of the bad inputs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--load", defaultValue = "1.0", description = "Offered load, 1.0 = the scenario's reference. Default: ${DEFAULT-VALUE}.")
    double load;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "SECONDS", description = "Wall seconds of warm-up per run, not counted. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--commit-interval", defaultValue = "50", paramLabel = "MS", description = "The scheduler's exactly-once commit interval, ms. Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where fuzz.json and both runs' reports go. Default: target/fuzz/<scenario>.")
    Path out;

    @Option(names = "--dashboard-port", paramLabel = "PORT", description = "Serve the lab's dashboard on this port of 127.0.0.1 (none by default).")
    Integer dashboardPort;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        Fuzzer.requireCount(count); // before the first of the two runs
        if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65535)) {
            throw new IllegalArgumentException("--dashboard-port must be in [0, 65535], was " + dashboardPort);
        }
        Lab.Options o = new Lab.Options(scenario, duration, speedup, seed, load, Optional.empty(), List.of(),
                List.of(), Duration.ofMillis(commitIntervalMs), warmup, Duration.ofSeconds(120));
        Lab.Where where = new Lab.Where(Optional.empty(),
                dashboardPort == null ? OptionalInt.empty() : OptionalInt.of(dashboardPort), BrokerProcess.repoRoot());
        Path dir = out != null ? out : Path.of("target", "fuzz", new ScenarioLoader().load(scenario).name());
        Files.createDirectories(dir);

        err.println("fuzz: run 1 of 2: the lab without bad inputs");
        Lab.Result base = new Lab(err).run(o, where);
        err.println("fuzz: run 2 of 2: the same lab with " + count + " bad inputs");
        List<ProduceRefusals.Refusal> refusals = new ArrayList<>();
        Path scratch = Files.createTempDirectory("edgeweave-fuzz-");
        FuzzTraffic traffic = new FuzzTraffic(count, seed, Duration.ofSeconds(30), bootstrap -> {
            try {
                refusals.addAll(ProduceRefusals.check(bootstrap, scratch));
            } catch (Exception e) {
                throw new IllegalStateException("checking ./edgeweave produce against the lab's broker: " + e, e);
            }
            for (ProduceRefusals.Refusal r : refusals) {
                err.printf(Locale.ROOT, "fuzz: ./edgeweave produce %s: exit %d, %d records produced, %s: %s%n",
                        r.file(), r.exitCode(), r.produced(), r.refused() ? "refused" : "NOT REFUSED", r.error());
            }
        }, err);
        Lab.Result fuzzed;
        try {
            fuzzed = new Lab(err).withSideTraffic(traffic).run(o, where);
        } finally {
            Lab.deleteTree(scratch);
        }
        FuzzTally t = traffic.tally().orElseThrow(() -> new IllegalStateException("the fuzzed run ended unmatched"));

        LabReport baseReport = new LabReport(base);
        LabReport fuzzReport = new LabReport(fuzzed);
        String sha = EvaluateCommand.scenarioSha256(new ScenarioLoader(), scenario);
        String commit = EvaluateCommand.gitCommit();
        baseReport.write(dir.resolve("baseline"), sha, commit);
        fuzzReport.write(dir.resolve("fuzzed"), sha, commit);
        double ratio = fuzzReport.live().meanLatencyS() / baseReport.live().meanLatencyS();
        boolean produceRefused = refusals.size() == 2 && refusals.stream().allMatch(ProduceRefusals.Refusal::refused);
        boolean ok = t.unaccounted() == 0 && t.completed() == 0 && t.unexpected() == 0 && base.invariants().holds()
                && fuzzed.invariants().holds() && base.pipeline().lost() == 0 && fuzzed.pipeline().lost() == 0
                && produceRefused;

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sent", t.sent());
        json.put("deadLettered", t.deadLettered());
        json.put("rejected", t.rejected());
        json.put("completed", t.completed());
        json.put("unaccounted", t.unaccounted());
        json.put("normalMeanLatencyRatio", round(ratio));
        json.put("unexpected", t.unexpected());
        json.put("byCategory", t.byCategory());
        json.put("examples", t.examples());
        json.put("normalMeanLatencyS", pair(round(baseReport.live().meanLatencyS()),
                round(fuzzReport.live().meanLatencyS())));
        json.put("invariantsHold", pair(base.invariants().holds(), fuzzed.invariants().holds()));
        json.put("lost", pair(base.pipeline().lost(), fuzzed.pipeline().lost()));
        json.put("produceRefusals", refusals);
        json.put("ok", ok);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("fuzz.json").toFile(),
                    json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        err.printf(Locale.ROOT, "fuzz: normal traffic's mean latency %.3f s without bad inputs, %.3f s with (ratio "
                        + "%.3f); invariants %s / %s; lost %d / %d%n", baseReport.live().meanLatencyS(),
                fuzzReport.live().meanLatencyS(), ratio, holds(base), holds(fuzzed), base.pipeline().lost(),
                fuzzed.pipeline().lost());
        err.println("fuzz: wrote " + dir.resolve("fuzz.json") + ", baseline/ and fuzzed/");
        if (!ok) {
            err.println("fuzz: FAILED: " + (t.completed() > 0 ? t.completed() + " bad inputs completed; " : "")
                    + (t.unaccounted() > 0 ? t.unaccounted() + " bad inputs unaccounted; " : "")
                    + (!produceRefused ? "./edgeweave produce did not refuse a bad file; " : "")
                    + "invariants " + holds(base) + " / " + holds(fuzzed));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(String.format(Locale.ROOT, "{\"sent\": %d, \"deadLettered\": %d, \"rejected\": %d, "
                        + "\"completed\": %d, \"unaccounted\": %d, \"normalMeanLatencyRatio\": %s}", t.sent(),
                t.deadLettered(), t.rejected(), t.completed(), t.unaccounted(),
                Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.3f", ratio) : "null"));
        stdout.flush();
        return ok ? 0 : 1;
    }

    private static Map<String, Object> pair(Object baseline, Object fuzzed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baseline", baseline);
        m.put("fuzzed", fuzzed);
        return m;
    }

    private static String holds(Lab.Result r) {
        return r.invariants().holds() ? "hold" : "BROKEN " + r.invariants().examples();
    }

    private static Object round(double x) {
        return Double.isFinite(x) ? Math.round(x * 1000) / 1000.0 : null;
    }

}
