package dev.edgeweave.planner;

import dev.edgeweave.core.fairness.Fairness;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.WindowScope;
import dev.edgeweave.v1.WindowSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A short window's {@code WindowSummary} records: one for the city (with the Normalized Jain index over the
 * per-class mean slowdown), one per class that saw a prompt, one per server that reported. Keyed by window end,
 * scope and scope id, so a restart that writes a window again writes the same key.
 */
public final class Summaries {

    private static final AvroCodec<WindowSummary> CODEC = AvroCodec.of(WindowSummary.class);

    private Summaries() {
    }

    /** The records of {@code w}, encoded for {@code window-summaries}. */
    public static List<Outbound> of(ShortWindow w) {
        return of(w, summaries(w));
    }

    /** {@code summaries} of {@code w} as records. */
    static List<Outbound> of(ShortWindow w, List<WindowSummary> summaries) {
        List<Outbound> out = new ArrayList<>();
        for (WindowSummary s : summaries) {
            String key = s.getWindowEnd().toEpochMilli() + "/" + s.getScope() + "/" + s.getScopeId();
            out.add(new Outbound(Topics.WINDOW_SUMMARIES.name(), key, CODEC.encode(s), w.windowEnd));
        }
        return out;
    }

    /** The summaries of {@code w}: city first, then classes in order, then servers by id. */
    public static List<WindowSummary> summaries(ShortWindow w) {
        List<WindowSummary> out = new ArrayList<>();
        LatencySketch all = new LatencySketch();
        long arrivals = 0;
        long completed = 0;
        long rejected = 0;
        long within = 0;
        double latency = 0;
        double slowdown = 0;
        List<Double> classSlowdown = new ArrayList<>();
        for (int c = 0; c < ShortWindow.CLASSES; c++) {
            all.merge(w.latency[c]);
            arrivals += w.arrivals[c];
            completed += w.completed[c];
            rejected += w.rejected[c];
            within += w.withinSlo[c];
            latency += w.latencySum[c];
            slowdown += w.slowdownSum[c];
            if (w.ended(c) > 0) {
                classSlowdown.add(w.slowdownSum[c] / w.ended(c));
            }
        }
        long ended = completed + rejected;
        double[] x = classSlowdown.stream().mapToDouble(Double::doubleValue).toArray();
        out.add(base(w, WindowScope.CITY, "city", arrivals, completed, rejected, ended == 0 ? 0 : latency / ended,
                all, ended == 0 ? 0 : slowdown / ended, ended == 0 ? 1 : (double) within / ended)
                .setNormalizedJainSlowdown(x.length == 0 ? null : Fairness.normalizedJain(x)).build());
        for (int c = 0; c < ShortWindow.CLASSES; c++) {
            long e = w.ended(c);
            if (e == 0 && w.arrivals[c] == 0) {
                continue;
            }
            out.add(base(w, WindowScope.MODEL_CLASS, ModelClass.values()[c].name(), w.arrivals[c], w.completed[c],
                    w.rejected[c], e == 0 ? 0 : w.latencySum[c] / e, w.latency[c], e == 0 ? 0 : w.slowdownSum[c] / e,
                    e == 0 ? 1 : (double) w.withinSlo[c] / e).build());
        }
        w.nodes.forEach((id, n) -> out.add(base(w, WindowScope.NODE, id, 0, n.results - n.failures, n.failures, 0,
                new LatencySketch(), 0, 1)
                .setMeanQueued(n.states == 0 ? null : (double) n.queuedSum / n.states)
                .setUtilisation(n.states == 0 ? null : n.utilisationSum / n.states).build()));
        return out;
    }

    private static WindowSummary.Builder base(ShortWindow w, WindowScope scope, String id, long arrivals, long completed,
                                              long rejected, double meanLatency, LatencySketch sketch,
                                              double meanSlowdown, double slo) {
        return WindowSummary.newBuilder().setWindowStart(Instant.ofEpochMilli(w.windowStart))
                .setWindowEnd(Instant.ofEpochMilli(w.windowEnd)).setScope(scope).setScopeId(id).setArrivals(arrivals)
                .setCompleted(completed).setRejected(rejected).setMeanLatencySeconds(meanLatency)
                .setP50LatencySeconds(sketch.quantile(0.5)).setP95LatencySeconds(sketch.quantile(0.95))
                .setP99LatencySeconds(sketch.quantile(0.99)).setMeanSlowdown(meanSlowdown).setSloAttainment(slo)
                .setNormalizedJainSlowdown(null).setMeanQueued(null).setUtilisation(null);
    }
}
