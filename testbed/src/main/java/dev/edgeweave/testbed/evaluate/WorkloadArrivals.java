package dev.edgeweave.testbed.evaluate;

import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.testbed.engine.Arrivals;
import dev.edgeweave.testbed.workload.Workload;

/** A generated {@link Workload} as the engine replays it; the model indices are the scenario's model order. */
final class WorkloadArrivals implements Arrivals {

    private final Workload w;
    private final int n;

    WorkloadArrivals(Workload w) {
        this(w, w.size());
    }

    /** The first {@code n} prompts of {@code w}. */
    WorkloadArrivals(Workload w, int n) {
        if (n < 0 || n > w.size()) {
            throw new IllegalArgumentException("the workload has " + w.size() + " prompts, not " + n);
        }
        this.w = w;
        this.n = n;
    }

    @Override public int size() { return n; }
    @Override public double time(int i) { return w.timeSeconds(i); }
    @Override public int model(int i) { return w.modelIndex(i); }
    @Override public int user(int i) { return w.user(i); }
    @Override public int accessPoint(int i) { return w.accessPointIndex(i); }
    @Override public PromptSize size(int i) { return w.size(i); }
    @Override public double sloSeconds(int i) { return w.sloSeconds(i); }
}
