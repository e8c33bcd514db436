package dev.edgeweave.planner;

import dev.edgeweave.core.model.ModelClass;
import java.util.TreeMap;

/**
 * The aggregate of one short window (DESIGN.md, "Agents": the short-term agent's situation), built event by
 * event ({@link #add}) and mergeable ({@link #merge}): per class, arrivals, completions, rejections, latency
 * sum and sketch, slowdown sum, prompts within their SLO; per server, results, failures and the states it
 * reported (queue, running, utilisation). Numbers only.
 */
public final class ShortWindow implements CityWindow<ShortWindow> {

    static final int CLASSES = ModelClass.values().length;

    /** One server's window. */
    public static final class Node {
        public long results;
        public long failures;
        public long states;
        public long queuedSum;
        public long runningSum;
        public double utilisationSum;
        public double memoryUtilisation;
        public int lastQueued;
        public int lastRunning;
        public long lastStateAt = Long.MIN_VALUE;

        void merge(Node o) {
            results += o.results;
            failures += o.failures;
            states += o.states;
            queuedSum += o.queuedSum;
            runningSum += o.runningSum;
            utilisationSum += o.utilisationSum;
            if (o.lastStateAt > lastStateAt) {
                lastStateAt = o.lastStateAt;
                lastQueued = o.lastQueued;
                lastRunning = o.lastRunning;
                memoryUtilisation = o.memoryUtilisation;
            }
        }
    }

    public long windowStart;
    public long windowEnd;
    public long events;
    public long[] arrivals = new long[CLASSES];
    public long[] completed = new long[CLASSES];
    public long[] rejected = new long[CLASSES];
    public long[] withinSlo = new long[CLASSES];
    public double[] latencySum = new double[CLASSES];
    public double[] slowdownSum = new double[CLASSES];
    public LatencySketch[] latency = new LatencySketch[CLASSES];
    public TreeMap<String, Node> nodes = new TreeMap<>();
    /**
     * Prompt ids whose arrival, and whose end, the window has counted: a prompt counts once however often its
     * record is read (a client's producer may retry and write it twice; the scheduler refuses the copy).
     */
    public java.util.HashSet<String> arrived = new java.util.HashSet<>();
    public java.util.HashSet<String> ended = new java.util.HashSet<>();

    public ShortWindow() {
        for (int c = 0; c < CLASSES; c++) {
            latency[c] = new LatencySketch();
        }
    }

    @Override
    public void span(long start, long end) {
        windowStart = start;
        windowEnd = end;
    }

    /** Counts one event into the window. */
    @Override
    public ShortWindow add(CityEvent e) {
        events++;
        switch (e.kind) {
            case ARRIVAL -> {
                if (e.promptId == null || arrived.add(e.promptId)) {
                    arrivals[index(e.modelClass)]++;
                }
            }
            case COMPLETION, REJECTION -> {
                if (e.promptId != null && !ended.add(e.promptId)) {
                    return this;
                }
                int c = index(e.modelClass);
                if (e.kind == CityEvent.Kind.COMPLETION) {
                    completed[c]++;
                    if (e.latencySeconds <= e.sloSeconds) {
                        withinSlo[c]++;
                    }
                } else {
                    rejected[c]++;
                }
                latencySum[c] += e.latencySeconds;
                slowdownSum[c] += e.slowdown;
                latency[c].add(e.latencySeconds);
            }
            case RESULT -> {
                Node n = nodes.computeIfAbsent(e.nodeId, k -> new Node());
                n.results++;
                if (!e.ok) {
                    n.failures++;
                }
            }
            case NODE_STATE -> {
                Node n = nodes.computeIfAbsent(e.nodeId, k -> new Node());
                n.states++;
                n.queuedSum += e.queued;
                n.runningSum += e.running;
                n.utilisationSum += e.utilisation;
                if (e.time >= n.lastStateAt) {
                    n.lastStateAt = e.time;
                    n.lastQueued = e.queued;
                    n.lastRunning = e.running;
                    n.memoryUtilisation = e.memoryUtilisation;
                }
            }
            case LINK -> {
                // Links feed the long windows' view of the city, not the short aggregates.
            }
        }
        return this;
    }

    /** Adds {@code o}'s counts to this window's. */
    @Override
    public ShortWindow merge(ShortWindow o) {
        events += o.events;
        for (int c = 0; c < CLASSES; c++) {
            arrivals[c] += o.arrivals[c];
            completed[c] += o.completed[c];
            rejected[c] += o.rejected[c];
            withinSlo[c] += o.withinSlo[c];
            latencySum[c] += o.latencySum[c];
            slowdownSum[c] += o.slowdownSum[c];
            latency[c].merge(o.latency[c]);
        }
        o.nodes.forEach((id, n) -> nodes.computeIfAbsent(id, k -> new Node()).merge(n));
        // Partial windows of disjoint events (Flink merges partials of one window): their ids are disjoint too.
        arrived.addAll(o.arrived);
        ended.addAll(o.ended);
        return this;
    }

    /** Prompts of class {@code c} that ended in the window. */
    public long ended(int c) {
        return completed[c] + rejected[c];
    }

    static int index(String modelClass) {
        return ModelClass.valueOf(modelClass).ordinal();
    }
}
