package dev.edgeweave.testbed.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeweave.core.fairness.Fairness;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.v1.AgentDecision;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.NodeState;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the lab shows while it runs: its progress, latency per class over city time, the fairness index, each
 * server's latest state and the agents' latest decisions. Written by the lab's threads, read by the dashboard
 * ({@link #json}) and the progress line; every method is synchronized. Holds no prompt content: only counts,
 * latencies, server states and the agents' decisions (which carry none).
 */
final class LabView {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ModelClass[] CLASSES = ModelClass.values();
    /** Decisions kept for the dashboard, latest first. */
    static final int DECISIONS_KEPT = 40;
    private static final int TEXT_LIMIT = 400;

    private final String scenario;
    private final double speedup;
    private final int planned;
    private final double bucketSeconds;
    private final long startNanos = System.nanoTime();

    private String phase = "starting";
    private double citySeconds;
    private long produced;
    private long completed;
    private long rejected;
    private long deadLettered;
    private double latencySum;
    /** Every ended prompt's latency, for the p95 (a few thousand a minute: sorted when asked). */
    private double[] latencies = new double[1024];
    // Per bucket of city time (by the prompt's end), per class: latency sum, slowdown sum, count.
    private double[][] bucketLatency = new double[16][CLASSES.length];
    private double[][] bucketSlowdown = new double[16][CLASSES.length];
    private long[][] bucketCount = new long[16][CLASSES.length];
    private int buckets;
    private final double[] classSlowdown = new double[CLASSES.length];
    private final long[] classCount = new long[CLASSES.length];
    private final Map<String, NodeState> servers = new TreeMap<>();
    private final Deque<AgentDecision> decisions = new ArrayDeque<>();
    private double cityStartMillis = Double.NaN;

    /**
     * @param planned       prompts the lab will produce
     * @param bucketSeconds city seconds per point of the latency series
     */
    LabView(String scenario, double speedup, int planned, double bucketSeconds) {
        this.scenario = scenario;
        this.speedup = speedup;
        this.planned = planned;
        this.bucketSeconds = bucketSeconds;
    }

    /** The city instant (epoch ms) the workload starts at: city seconds of records count from it. */
    synchronized void cityStart(long epochMillis) {
        cityStartMillis = epochMillis;
    }

    synchronized void phase(String phase) {
        this.phase = phase;
    }

    synchronized void progress(double citySeconds, long produced) {
        this.citySeconds = citySeconds;
        this.produced = produced;
    }

    /** A prompt's terminal record: its latency (a rejection's at its SLO) and slowdown, at city second {@code at}. */
    synchronized void ended(ModelClass c, double at, double latencySeconds, double slowdown, boolean wasCompleted) {
        if (wasCompleted) {
            completed++;
        } else {
            rejected++;
        }
        latencySum += latencySeconds;
        int ended = (int) (completed + rejected);
        if (ended > latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[ended - 1] = latencySeconds;
        int b = Math.max(0, (int) (at / bucketSeconds));
        if (b >= bucketCount.length) {
            int size = Math.max(b + 1, bucketCount.length * 2);
            bucketLatency = grow(bucketLatency, size);
            bucketSlowdown = grow(bucketSlowdown, size);
            long[][] counts = Arrays.copyOf(bucketCount, size);
            for (int i = bucketCount.length; i < size; i++) {
                counts[i] = new long[CLASSES.length];
            }
            bucketCount = counts;
        }
        buckets = Math.max(buckets, b + 1);
        int k = c.ordinal();
        bucketLatency[b][k] += latencySeconds;
        bucketSlowdown[b][k] += slowdown;
        bucketCount[b][k]++;
        classSlowdown[k] += slowdown;
        classCount[k]++;
    }

    private static double[][] grow(double[][] a, int size) {
        double[][] out = Arrays.copyOf(a, size);
        for (int i = a.length; i < size; i++) {
            out[i] = new double[CLASSES.length];
        }
        return out;
    }

    synchronized void deadLettered() {
        deadLettered++;
    }

    synchronized void nodeState(NodeState s) {
        servers.put(s.getNodeId(), s);
    }

    synchronized void decision(AgentDecision d) {
        decisions.addFirst(d);
        while (decisions.size() > DECISIONS_KEPT) {
            decisions.removeLast();
        }
    }

    synchronized long completed() {
        return completed;
    }

    synchronized long rejected() {
        return rejected;
    }

    synchronized double meanLatencySeconds() {
        long ended = completed + rejected;
        return ended == 0 ? Double.NaN : latencySum / ended;
    }

    /** Normalized Jain over the per-class mean slowdown so far (classes with prompts); NaN before any. */
    synchronized double normalizedJain() {
        return jainOf(classSlowdown, classCount);
    }

    private static double jainOf(double[] slowdownSum, long[] count) {
        double[] means = new double[CLASSES.length];
        int n = 0;
        for (int k = 0; k < CLASSES.length; k++) {
            if (count[k] > 0) {
                means[n++] = slowdownSum[k] / count[k];
            }
        }
        return n == 0 ? Double.NaN : Fairness.normalizedJain(Arrays.copyOf(means, n));
    }

    /** The dashboard's state, as {@code GET /api/state} serves it. */
    synchronized String json() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("scenario", scenario).put("phase", phase).put("speedup", speedup);
        put(root, "citySeconds", citySeconds);
        put(root, "wallSeconds", (System.nanoTime() - startNanos) / 1e9);
        ObjectNode p = root.putObject("progress").put("produced", produced).put("planned", planned)
                .put("completed", completed).put("rejected", rejected).put("deadLettered", deadLettered);
        put(p, "meanLatencyS", meanLatencySeconds());
        int ended = (int) (completed + rejected);
        double[] sorted = Arrays.copyOf(latencies, ended);
        Arrays.sort(sorted);
        put(p, "p95LatencyS", ended == 0 ? Double.NaN
                : dev.edgeweave.testbed.report.Summaries.percentile(sorted, 95));
        put(p, "normalizedJain", normalizedJain());
        ArrayNode classes = root.putArray("classes");
        for (ModelClass c : CLASSES) {
            classes.add(name(c));
        }
        ObjectNode series = root.putObject("series");
        ArrayNode t = series.putArray("t");
        ObjectNode latency = series.putObject("latency");
        ArrayNode[] perClass = new ArrayNode[CLASSES.length];
        for (ModelClass c : CLASSES) {
            perClass[c.ordinal()] = latency.putArray(name(c));
        }
        ArrayNode jain = series.putArray("jain");
        double[] slowdownSoFar = new double[CLASSES.length];
        long[] countSoFar = new long[CLASSES.length];
        for (int b = 0; b < buckets; b++) {
            t.add((b + 1) * bucketSeconds);
            for (int k = 0; k < CLASSES.length; k++) {
                long n = bucketCount[b][k];
                if (n == 0) {
                    perClass[k].addNull();
                } else {
                    perClass[k].add(round(bucketLatency[b][k] / n));
                }
                slowdownSoFar[k] += bucketSlowdown[b][k];
                countSoFar[k] += n;
            }
            double j = jainOf(slowdownSoFar, countSoFar);
            if (Double.isFinite(j)) {
                jain.add(round(j));
            } else {
                jain.addNull();
            }
        }
        ObjectNode slowdown = root.putObject("slowdown");
        for (ModelClass c : CLASSES) {
            if (classCount[c.ordinal()] > 0) {
                slowdown.put(name(c), round(classSlowdown[c.ordinal()] / classCount[c.ordinal()]));
            }
        }
        ArrayNode nodes = root.putArray("servers");
        for (NodeState s : servers.values()) {
            ObjectNode n = nodes.addObject().put("id", s.getNodeId()).put("site", s.getSiteId())
                    .put("draining", s.getDraining());
            put(n, "heartbeatCitySeconds", cityOf(s.getHeartbeatAt().toEpochMilli()));
            ArrayNode gpus = n.putArray("gpus");
            for (GpuState g : s.getGpus()) {
                gpus.addObject().put("index", g.getIndex()).put("type", g.getGpuType()).put("memoryBytes", g.getMemoryBytes())
                        .put("memoryUsedBytes", g.getMemoryUsedBytes()).put("utilisation", round(g.getUtilisation()));
            }
            ArrayNode deployments = n.putArray("deployments");
            for (DeploymentState d : s.getDeployments()) {
                deployments.addObject().put("model", d.getModelId()).put("gpu", d.getGpuIndex())
                        .put("status", d.getStatus().name()).put("concurrency", d.getConcurrency())
                        .put("queued", d.getQueued()).put("running", d.getRunning()).put("reason", d.getReason());
            }
        }
        ArrayNode ds = root.putArray("decisions");
        for (AgentDecision d : decisions) {
            ObjectNode o = ds.addObject();
            put(o, "citySeconds", cityOf(d.getDecidedAt().toEpochMilli()));
            o.put("agent", d.getAgent().name()).put("scope", d.getScope()).put("brain", d.getBrain().name())
                    .put("guardVerdict", d.getGuardVerdict().name()).put("decision", clip(d.getDecision()))
                    .put("rationale", clip(d.getRationale()));
        }
        return root.toString();
    }

    /** The dashboard's name of a class: {@code VISION_LANGUAGE} → {@code vision-language}. */
    static String name(ModelClass c) {
        return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private double cityOf(long epochMillis) {
        return (epochMillis - cityStartMillis) / 1000.0;
    }

    private static String clip(String s) {
        return s == null || s.length() <= TEXT_LIMIT ? s : s.substring(0, TEXT_LIMIT) + "…";
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static void put(ObjectNode o, String key, double x) {
        if (Double.isFinite(x)) {
            o.put(key, round(x));
        } else {
            o.putNull(key);
        }
    }
}
