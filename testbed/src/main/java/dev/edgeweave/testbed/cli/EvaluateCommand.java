package dev.edgeweave.testbed.cli;

import dev.edgeweave.agents.AgentBrains;
import dev.edgeweave.agents.AgentsConfig;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.testbed.engine.EngineSetup;
import dev.edgeweave.testbed.engine.FailureEvent;
import dev.edgeweave.testbed.engine.Policies;
import dev.edgeweave.testbed.engine.RunResult;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.evaluate.EvaluationOptions;
import dev.edgeweave.testbed.report.PolicySummary;
import dev.edgeweave.testbed.report.PromptCsv;
import dev.edgeweave.testbed.report.Report;
import dev.edgeweave.testbed.report.ReportInput;
import dev.edgeweave.testbed.report.Summaries;
import dev.edgeweave.testbed.report.SummaryHeader;
import dev.edgeweave.testbed.report.SummaryJson;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./edgeweave evaluate}: every policy on a scenario in simulated city time, seeded; writes
 * {@code summary.json}, {@code report.md} with charts, and the per-prompt records as CSV.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Runs every policy on a scenario in simulated city time and writes summary.json, report.md "
                + "with charts, and per-prompt CSV.")
public final class EvaluateCommand implements Callable<Integer> {

    static final double[] SWEEP_LOADS = {0.3, 0.5, 0.7, 0.9, 1.0, 1.2};

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "bristol-7",
            description = "A bundled scenario (${COMPLETION-CANDIDATES}) or a scenario file. Default: ${DEFAULT-VALUE}.",
            completionCandidates = BuiltIns.class)
    String scenario;

    @Option(names = "--seeds", description = "Runs seeds 1..N. Default: as many as the scenario lists (5 for the bundled ones).")
    Integer seeds;

    @Option(names = "--policies", defaultValue = "all",
            description = "all, or a comma-separated list of: edgeweave, edgeweave/router-only, edgeweave/no-fairness, "
                    + "<baseline>/static, <baseline>/ondemand. Default: ${DEFAULT-VALUE}.")
    String policies;

    @Option(names = "--trace", description = "A CSV in the Azure LLM trace format replacing the scenario's chat trace.")
    Path trace;

    @Option(names = "--load", defaultValue = "1.0",
            description = "Scales every arrival rate (1.0 = 70% of the static placement's capacity). Default: ${DEFAULT-VALUE}.")
    double load;

    @Option(names = "--fail", description = "Fail a server: NODE@SECONDS or NODE@SECONDS+DOWN; NODE may be 'busiest'.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--shift", description = "At SECONDS of city time the class mix and the hot access points move.")
    Double shift;

    @Option(names = "--sweep", description = "Also run every policy at loads 0.3, 0.5, 0.7, 0.9, 1.0, 1.2 (seed 1).")
    boolean sweep;

    @Option(names = "--csv", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write the per-prompt CSV files. Default: ${DEFAULT-VALUE}.")
    boolean csv;

    @Option(names = "--threads", description = "Runs in parallel. Default: the number of cores.")
    Integer threads;

    @Option(names = "--out", description = "Output directory. Default: target/evaluate/<scenario>.")
    Path out;

    @Option(names = "--llm-base-url", paramLabel = "URL", description = "Run edgeweave's three agents on LLM brains "
            + "at this model server (OpenAI-compatible, e.g. http://localhost:11434/v1 for Ollama or "
            + "http://localhost:8000/v1 for vLLM); the optimizer replaces any answer that cannot stand. The API key, "
            + "if any, from EDGEWEAVE_AGENTS_LLM_APIKEY.")
    String llmBaseUrl;

    @Option(names = "--llm-model", paramLabel = "NAME", description = "The model's name on that server, e.g. llama3.1:8b.")
    String llmModel;

    @Option(names = "--llm-provider", defaultValue = "openai", description = "openai (any OpenAI-compatible server) or "
            + "ollama (Ollama's own API). Default: ${DEFAULT-VALUE}.")
    String llmProvider;

    /** The bundled scenarios, for help and completion. */
    static final class BuiltIns extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        BuiltIns() {
            super(ScenarioLoader.BUILT_IN);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        long start = System.nanoTime();
        List<FailureEvent> failures = new ArrayList<>();
        for (String f : fail) {
            failures.add(FailureEvent.parse(f));
        }
        if (failures.size() + (shift == null ? 0 : 1) > 1) {
            throw new IllegalArgumentException("one event per evaluation: a --fail or a --shift, since the recovery "
                    + "time is measured from the event");
        }
        ScenarioLoader loader = new ScenarioLoader();
        Scenario sc = loader.load(scenario);
        int seedCount = seeds != null ? seeds : sc.seeds().size();
        validateEvents(sc, failures);
        WorkloadGenerator generator = WorkloadGenerator.forScenario(sc, Optional.ofNullable(trace));
        Evaluation evaluation = new Evaluation(sc, generator);
        if ((llmBaseUrl == null) != (llmModel == null)) {
            throw new IllegalArgumentException("--llm-base-url and --llm-model go together: name the server and the model");
        }
        if (llmBaseUrl != null) {
            AgentsConfig agents = AgentsConfig.allLlm(llmProvider, llmBaseUrl, llmModel);
            AgentBrains brains = AgentBrains.create(agents, sc.models());
            evaluation.withBrains(brains);
            err.println("agents: " + brains.describe());
        }
        EvaluationOptions options = new EvaluationOptions(scenario, seedCount, Policies.parse(policies),
                Optional.ofNullable(trace), load, failures, shift == null ? OptionalDouble.empty() : OptionalDouble.of(shift),
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        EngineSetup setup = evaluation.setup();
        err.printf(Locale.ROOT, "%s: %d servers, %d models; capacity %.2f prompts/s, load 1.0 = %.2f prompts/s; "
                        + "%d policies x %d seeds at load %.2f%n", sc.name(), setup.servers().size(), setup.models().size(),
                setup.capacity(), evaluation.referenceRate(), options.policies().size(), seedCount, load);

        int runs = options.policies().size() * seedCount;
        Progress progress = new Progress(err, "evaluate", runs);
        Map<String, List<RunResult>> results = evaluation.run(options, progress::update);

        List<ModelClass> classOfModel = setup.models().stream().map(ModelSpec::modelClass).toList();
        List<PolicySummary> summaries = new ArrayList<>();
        results.forEach((name, rs) -> summaries.add(Summaries.of(name, rs, classOfModel)));

        ReportInput.Sweep sweepResult = null;
        if (sweep) {
            sweepResult = sweep(evaluation, options, classOfModel, err);
        }

        Path dir = out != null ? out : Path.of("target", "evaluate", sc.name());
        Files.createDirectories(dir);
        long prompts = results.values().iterator().next().get(0).size();
        String sha = scenarioSha256(loader, scenario);
        String commit = gitCommit();
        List<RunResult> seedOne = new ArrayList<>();
        results.values().forEach(rs -> seedOne.add(rs.get(0)));
        // The report states the work done before it was written; summary.json, written last, the whole of it.
        SummaryHeader partial = new SummaryHeader(sc.name(), sha, commit, seedCount, load, prompts,
                (System.nanoTime() - start) / 1e9);
        Report.write(dir, new ReportInput(sc.name(), parameters(partial, sc, evaluation, generator, failures),
                summaries, seedOne, sweepResult));
        if (csv) {
            writeCsv(dir, results, setup, classOfModel);
        }
        SummaryHeader header = new SummaryHeader(sc.name(), sha, commit, seedCount, load, prompts,
                (System.nanoTime() - start) / 1e9);
        SummaryJson.write(dir.resolve("summary.json"), header, summaries);
        PrintWriter stdout = spec.commandLine().getOut();
        printTable(stdout, summaries);
        stdout.printf(Locale.ROOT, "wrote %s (summary.json, report.md, charts%s) in %.1f s%n",
                dir, csv ? ", prompts-*.csv" : "", (System.nanoTime() - start) / 1e9);
        stdout.flush();
        return 0;
    }

    private ReportInput.Sweep sweep(Evaluation evaluation, EvaluationOptions options, List<ModelClass> classOfModel,
                                    PrintStream err) {
        Map<String, double[]> means = new LinkedHashMap<>();
        options.policies().forEach(p -> means.put(p.name(), new double[SWEEP_LOADS.length]));
        for (int l = 0; l < SWEEP_LOADS.length; l++) {
            EvaluationOptions one = new EvaluationOptions(options.scenario(), 1, options.policies(), options.trace(),
                    SWEEP_LOADS[l], options.failures(), options.shiftAt(), options.threads());
            Progress progress = new Progress(err, String.format(Locale.ROOT, "sweep load %.1f", SWEEP_LOADS[l]),
                    options.policies().size());
            Map<String, List<RunResult>> r = evaluation.run(one, progress::update);
            for (Map.Entry<String, List<RunResult>> e : r.entrySet()) {
                means.get(e.getKey())[l] = Summaries.of(e.getKey(), e.getValue(), classOfModel).meanLatencyS();
            }
        }
        return new ReportInput.Sweep(SWEEP_LOADS, means);
    }

    private static void writeCsv(Path dir, Map<String, List<RunResult>> results, EngineSetup setup,
                                 List<ModelClass> classOfModel) throws IOException {
        List<String> modelIds = setup.models().stream().map(ModelSpec::id).toList();
        List<String> serverIds = setup.servers().stream().map(s -> s.id()).toList();
        for (List<RunResult> rs : results.values()) {
            for (RunResult r : rs) {
                String file = "prompts-" + r.policy().replace('/', '_') + "-seed" + r.seed() + ".csv";
                PromptCsv.write(dir.resolve(file), r, modelIds, classOfModel, serverIds);
            }
        }
    }

    private static void printTable(PrintWriter out, List<PolicySummary> rows) {
        out.printf(Locale.ROOT, "%-26s %9s %9s %9s %8s %8s %8s %6s %6s%n", "policy", "mean s", "p95 s", "p99 s",
                "SLO", "NJ slow", "worst", "rej %", "lost");
        for (PolicySummary p : rows) {
            out.printf(Locale.ROOT, "%-26s %9.3f %9.3f %9.3f %8.3f %8.3f %8.2f %6.2f %6d%n", p.name(), p.meanLatencyS(),
                    p.p95LatencyS(), p.p99LatencyS(), p.sloAttainment(), p.normalizedJainSlowdown(),
                    p.worstClassMeanSlowdown(), 100 * p.rejectionRate(), p.lost());
        }
    }

    /** Refuses a failure of a server the scenario lacks, or one at or after the end of the workload. */
    private void validateEvents(Scenario sc, List<FailureEvent> failures) {
        for (FailureEvent f : failures) {
            boolean known = FailureEvent.BUSIEST.equals(f.node())
                    || sc.city().servers().stream().anyMatch(x -> x.id().equals(f.node()));
            if (!known) {
                throw new IllegalArgumentException("--fail names server '" + f.node() + "', which scenario "
                        + sc.name() + " does not have (it has " + sc.city().servers().stream().map(x -> x.id()).toList()
                        + ", or use 'busiest')");
            }
            if (!sc.horizon().byPrompts() && f.atSeconds() >= sc.horizon().seconds()) {
                throw new IllegalArgumentException("--fail at " + f.atSeconds() + " s is not before the end of "
                        + sc.name() + "'s workload (" + sc.horizon().seconds() + " s)");
            }
        }
        if (shift != null && !sc.horizon().byPrompts() && shift >= sc.horizon().seconds()) {
            throw new IllegalArgumentException("--shift at " + shift + " s is not before the end of " + sc.name()
                    + "'s workload (" + sc.horizon().seconds() + " s)");
        }
    }

    private String parameters(SummaryHeader h, Scenario sc, Evaluation ev, WorkloadGenerator generator,
                              List<FailureEvent> failures) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "- scenario `%s` (sha256 `%s`), commit `%s`%n", sc.name(), h.scenarioSha256(),
                h.gitCommit()));
        b.append(String.format(Locale.ROOT, "- %d servers, %d models; static placement capacity %.2f prompts/s; "
                        + "load 1.0 = %.2f prompts/s; load %.2f%n", ev.setup().servers().size(),
                ev.setup().models().size(), ev.setup().capacity(), ev.referenceRate(), h.load()));
        b.append(String.format(Locale.ROOT, "- seeds 1..%d, %d prompts in seed 1, wall %.1f s%n", h.seeds(), h.prompts(),
                h.wallSeconds()));
        for (FailureEvent f : failures) {
            b.append(String.format(Locale.ROOT, "- failure: %s at %.0f s%s%n", f.node(), f.atSeconds(),
                    Double.isInfinite(f.downForSeconds()) ? ", for the rest of the run"
                            : String.format(Locale.ROOT, ", back up after %.0f s", f.downForSeconds())));
        }
        if (shift != null) {
            b.append(String.format(Locale.ROOT, "- shift at %.0f s: class mix and hot access points move; base rate "
                    + "x %.3f to keep the offered GPU work%n", shift, generator.shiftRateFactor()));
        }
        if (generator.trace() != null) {
            b.append(String.format(Locale.ROOT, "- chat trace `%s`: %d rows read, %d malformed rows skipped, %d "
                            + "timestamps clamped forward%n", generator.trace().file(), generator.trace().rows(),
                    generator.trace().skipped(), generator.trace().clampedBackwards()));
        }
        return b.toString();
    }

    /** SHA-256 of the scenario's YAML: the bundled resource's bytes, or the file's. */
    static String scenarioSha256(ScenarioLoader loader, String nameOrPath) throws IOException {
        if (ScenarioLoader.BUILT_IN.contains(nameOrPath)) {
            try (InputStream in = EvaluateCommand.class.getResourceAsStream("/scenarios/" + nameOrPath + ".yaml")) {
                if (in == null) {
                    throw new IOException("bundled scenario " + nameOrPath + " is missing from the classpath");
                }
                try {
                    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("every Java platform has SHA-256", e);
                }
            }
        }
        return SummaryHeader.sha256(Path.of(nameOrPath));
    }

    /** The commit the code runs from: {@code git rev-parse HEAD}, or {@code unknown}. */
    static String gitCommit() {
        try {
            ProcessBuilder pb = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true);
            String root = System.getProperty("edgeweave.root");
            if (root != null) {
                pb.directory(new java.io.File(root));
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
