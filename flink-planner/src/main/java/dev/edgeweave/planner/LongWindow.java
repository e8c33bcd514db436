package dev.edgeweave.planner;

import dev.edgeweave.core.model.PromptSizeMean;
import java.util.TreeMap;

/**
 * The aggregate of one long window (the long-term agent's situation): per model, arrivals and their mean
 * prompt; per server, the latest state it reported in the window (what it holds, its GPUs, its load). Mergeable.
 */
public final class LongWindow implements CityWindow<LongWindow> {

    public long windowStart;
    public long windowEnd;
    public TreeMap<String, PromptSizeMean> demand = new TreeMap<>();
    public TreeMap<String, CityEvent> latestState = new TreeMap<>();

    @Override
    public void span(long start, long end) {
        windowStart = start;
        windowEnd = end;
    }

    @Override
    public LongWindow add(CityEvent e) {
        if (e.kind == CityEvent.Kind.ARRIVAL) {
            demand.computeIfAbsent(e.modelId, k -> new PromptSizeMean()).add(e.size());
        } else if (e.kind == CityEvent.Kind.NODE_STATE) {
            CityEvent now = latestState.get(e.nodeId);
            if (now == null || e.time >= now.time) {
                latestState.put(e.nodeId, e);
            }
        }
        return this;
    }

    @Override
    public LongWindow merge(LongWindow o) {
        o.demand.forEach((m, s) -> demand.merge(m, s, PromptSizeMean::merged));
        o.latestState.forEach((n, e) -> latestState.merge(n, e, (a, b) -> a.time >= b.time ? a : b));
        return this;
    }
}
