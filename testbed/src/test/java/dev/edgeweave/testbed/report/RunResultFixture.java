package dev.edgeweave.testbed.report;

import dev.edgeweave.testbed.engine.RunResult;
import java.util.ArrayList;
import java.util.List;

/** Builds small hand-made {@link RunResult}s, one prompt at a time, for the report tests. */
final class RunResultFixture {

    private final String policy;
    private final long seed;
    private final List<double[]> doubles = new ArrayList<>(); // arrival, latency, slowdown, slo
    private final List<int[]> ints = new ArrayList<>(); // model, user, accessPoint, server, attempts, terminals
    private final List<Boolean> completed = new ArrayList<>();
    private long rerouted;
    private double lastTerminal = Double.NaN;
    private double eventSeconds = Double.NaN;
    private long decisions;
    private long refusals;

    private RunResultFixture(String policy, long seed) {
        this.policy = policy;
        this.seed = seed;
    }

    static RunResultFixture run(String policy, long seed) {
        return new RunResultFixture(policy, seed);
    }

    /** A completed prompt served by server 0 in one attempt; slowdown = latency / reference. */
    RunResultFixture completed(double arrival, int model, int user, double latency, double reference,
                               double slo) {
        return prompt(arrival, model, user, 0, 0, 1, true, latency, latency / reference, slo, 1);
    }

    /** A rejected prompt: latency at its SLO, as the engine records it. */
    RunResultFixture rejected(double arrival, int model, int user, double reference, double slo) {
        return prompt(arrival, model, user, 0, -1, 3, false, slo, slo / reference, slo, 1);
    }

    RunResultFixture prompt(double arrival, int model, int user, int accessPoint, int server, int attempts,
                            boolean ok, double latency, double slowdown, double slo, int terminals) {
        doubles.add(new double[] {arrival, latency, slowdown, slo});
        ints.add(new int[] {model, user, accessPoint, server, attempts, terminals});
        completed.add(ok);
        return this;
    }

    /** Prompts arriving at the given seconds, one each, all completed with the given latencies. */
    RunResultFixture series(double[] arrival, double[] latency) {
        for (int i = 0; i < arrival.length; i++) {
            completed(arrival[i], 0, 0, latency[i], 1, 1e9);
        }
        return this;
    }

    RunResultFixture rerouted(long n) {
        this.rerouted = n;
        return this;
    }

    RunResultFixture lastTerminal(double t) {
        this.lastTerminal = t;
        return this;
    }

    RunResultFixture event(double t) {
        this.eventSeconds = t;
        return this;
    }

    RunResultFixture agents(long decisions, long refusals) {
        this.decisions = decisions;
        this.refusals = refusals;
        return this;
    }

    RunResult build() {
        int n = doubles.size();
        double[] arrival = new double[n];
        double[] latency = new double[n];
        double[] slowdown = new double[n];
        double[] slo = new double[n];
        int[] model = new int[n];
        int[] user = new int[n];
        int[] ap = new int[n];
        int[] server = new int[n];
        byte[] attempts = new byte[n];
        byte[] terminals = new byte[n];
        boolean[] ok = new boolean[n];
        double lastEnd = 0;
        for (int i = 0; i < n; i++) {
            double[] d = doubles.get(i);
            int[] k = ints.get(i);
            arrival[i] = d[0];
            latency[i] = d[1];
            slowdown[i] = d[2];
            slo[i] = d[3];
            model[i] = k[0];
            user[i] = k[1];
            ap[i] = k[2];
            server[i] = k[3];
            attempts[i] = (byte) k[4];
            terminals[i] = (byte) k[5];
            ok[i] = completed.get(i);
            lastEnd = Math.max(lastEnd, d[0] + d[1]);
        }
        double lastArrival = n == 0 ? 0 : arrival[n - 1];
        return new RunResult(policy, seed, arrival, model, user, ap, server, attempts, ok, latency, slowdown, slo,
                terminals, rerouted, Double.isNaN(lastTerminal) ? lastEnd : lastTerminal, lastArrival,
                eventSeconds, decisions, refusals);
    }
}
