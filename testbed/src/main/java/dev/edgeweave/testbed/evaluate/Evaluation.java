package dev.edgeweave.testbed.evaluate;

import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.PromptSizeMean;
import dev.edgeweave.core.placement.ModelDemand;
import dev.edgeweave.testbed.engine.EngineSetup;
import dev.edgeweave.testbed.engine.PolicySpec;
import dev.edgeweave.testbed.engine.RunResult;
import dev.edgeweave.testbed.engine.Simulation;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.workload.Workload;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import dev.edgeweave.testbed.workload.WorkloadOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs every policy on every seed of a scenario: builds the setup once (static placement, capacity), generates
 * each seed's workload once at the reference rate × load, and runs the policy × seed simulations in parallel.
 */
public final class Evaluation {

    /** Prompts per model drawn to estimate its typical prompt for the static placement. */
    static final int TYPICAL_SAMPLES = 2000;

    private final Scenario scenario;
    private final WorkloadGenerator generator;
    private final EngineSetup setup;
    private dev.edgeweave.agents.AgentBrains brains = new dev.edgeweave.agents.AgentBrains(
            dev.edgeweave.agents.AgentsConfig.OPTIMIZERS, dev.edgeweave.core.model.ModelCatalog.standard(), null,
            dev.edgeweave.agents.memory.ExperienceMemory.NONE);

    public Evaluation(Scenario scenario, WorkloadGenerator generator) {
        this.scenario = scenario;
        this.generator = generator;
        this.setup = new EngineSetup(scenario.city(), scenario.models(), mix(scenario, generator));
    }

    /** Each model's arrival share and mean prompt: the demand of the static placement. */
    static List<ModelDemand> mix(Scenario scenario, WorkloadGenerator generator) {
        Map<String, Double> shares = scenario.modelArrivalShares();
        List<ModelDemand> out = new ArrayList<>();
        for (ModelSpec m : scenario.models().models()) {
            List<PromptSize> sample = generator.sampleSizes(m.id(), TYPICAL_SAMPLES, 0);
            out.add(new ModelDemand(m, shares.getOrDefault(m.id(), 0.0), mean(sample)));
        }
        return out;
    }

    private static PromptSize mean(List<PromptSize> sizes) {
        PromptSizeMean mean = new PromptSizeMean();
        sizes.forEach(mean::add);
        return mean.mean();
    }

    /**
     * The agents' brains for the policies that run agents: optimizer brains unless set (the CLI's {@code --llm-*}
     * options, a test's scripted model). The brains' chat model and memory are shared by the runs.
     */
    public Evaluation withBrains(dev.edgeweave.agents.AgentBrains brains) {
        this.brains = java.util.Objects.requireNonNull(brains, "brains");
        return this;
    }

    public EngineSetup setup() {
        return setup;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The total arrival rate at load 1.0: the scenario's fraction of the static placement's capacity. */
    public double referenceRate() {
        return scenario.loadReference().capacityFraction() * setup.capacity();
    }

    /** The workload of one seed. */
    public Workload workload(long seed, EvaluationOptions o) {
        WorkloadOptions w = new WorkloadOptions(seed, referenceRate(), o.load(), o.shiftAt());
        return generator.generate(w);
    }

    /**
     * One policy over the first {@code prompts} prompts of a workload, with the live pipeline's hops added and its
     * admission control (the lab's comparison run: {@link Simulation#withHops}, {@link Simulation#withAdmission}).
     */
    public RunResult runSpan(Workload w, int prompts, PolicySpec policy, long seed,
                             List<dev.edgeweave.testbed.engine.FailureEvent> failures, double dispatchHopSeconds,
                             double answerHopSeconds, double admissionFactor) {
        return new Simulation(setup, new WorkloadArrivals(w, prompts), policy, seed, failures, Double.NaN, brains)
                .withHops(dispatchHopSeconds, answerHopSeconds).withAdmission(admissionFactor).run();
    }

    /**
     * Runs every policy on every seed.
     *
     * @param progress told the number of runs finished so far, after each
     * @return per policy (in the options' order), its runs in seed order
     */
    public Map<String, List<RunResult>> run(EvaluationOptions o, IntConsumer progress) {
        List<Workload> workloads = new ArrayList<>();
        for (int seed = 1; seed <= o.seeds(); seed++) {
            workloads.add(workload(seed, o));
        }
        ExecutorService pool = Executors.newFixedThreadPool(o.threads(), r -> {
            Thread t = new Thread(r, "evaluate");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, List<Future<RunResult>>> futures = new LinkedHashMap<>();
            AtomicInteger finished = new AtomicInteger();
            for (PolicySpec p : o.policies()) {
                List<Future<RunResult>> runs = new ArrayList<>();
                for (int s = 0; s < workloads.size(); s++) {
                    Workload w = workloads.get(s);
                    long seed = s + 1;
                    double shift = w.shiftAtSeconds().orElse(Double.NaN);
                    runs.add(pool.submit(() -> {
                        RunResult r = new Simulation(setup, new WorkloadArrivals(w), p, seed, o.failures(), shift, brains)
                                .run();
                        progress.accept(finished.incrementAndGet());
                        return r;
                    }));
                }
                futures.put(p.name(), runs);
            }
            Map<String, List<RunResult>> out = new LinkedHashMap<>();
            for (Map.Entry<String, List<Future<RunResult>>> e : futures.entrySet()) {
                List<RunResult> runs = new ArrayList<>();
                for (Future<RunResult> f : e.getValue()) {
                    runs.add(f.get());
                }
                out.put(e.getKey(), runs);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("a run failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
