package dev.edgeweave.core.routing;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import java.util.ArrayList;
import java.util.List;

/** A {@link Candidates} built row by row for router tests. */
public final class TestCandidates implements Candidates {

    /** One candidate row; defaults: READY, idle, concurrency 1, 5 ms RTT, 100/100 Mbit/s, 1 km. */
    public static final class Row {
        int serverIndex;
        String serverId;
        GpuType gpu;
        NetworkPath path = NetworkPath.measured(0.005, 100e6, 100e6);
        double distanceKm = 1.0;
        DeploymentReadiness readiness = DeploymentReadiness.READY;
        int queued;
        int running;
        int concurrency = 1;
        double meanServiceSeconds;
        double storage = 2e9;
        int serverInFlight;
        double memoryUtilisation;
        double gpuUtilisation;

        public Row path(NetworkPath p) { path = p; return this; }
        public Row distanceKm(double d) { distanceKm = d; return this; }
        public Row readiness(DeploymentReadiness r) { readiness = r; return this; }
        public Row queued(int q) { queued = q; return this; }
        public Row running(int r) { running = r; return this; }
        public Row concurrency(int c) { concurrency = c; return this; }
        public Row meanService(double s) { meanServiceSeconds = s; return this; }
        public Row storage(double s) { storage = s; return this; }
        public Row inFlight(int n) { serverInFlight = n; return this; }
        public Row memory(double u) { memoryUtilisation = u; return this; }
        public Row gpuUtil(double u) { gpuUtilisation = u; return this; }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Adds a candidate with server index {@code rows so far}, id {@code s<index>}, on {@code gpu}. */
    public Row add(GpuType gpu) {
        Row r = new Row();
        r.serverIndex = rows.size();
        r.serverId = "s" + rows.size();
        r.gpu = gpu;
        rows.add(r);
        return r;
    }

    @Override public int size() { return rows.size(); }
    @Override public int serverIndex(int i) { return rows.get(i).serverIndex; }
    @Override public String serverId(int i) { return rows.get(i).serverId; }
    @Override public GpuType gpu(int i) { return rows.get(i).gpu; }
    @Override public NetworkPath path(int i) { return rows.get(i).path; }
    @Override public double distanceKm(int i) { return rows.get(i).distanceKm; }
    @Override public DeploymentReadiness readiness(int i) { return rows.get(i).readiness; }
    @Override public int queued(int i) { return rows.get(i).queued; }
    @Override public int running(int i) { return rows.get(i).running; }
    @Override public int concurrency(int i) { return rows.get(i).concurrency; }
    @Override public double meanServiceSeconds(int i) { return rows.get(i).meanServiceSeconds; }
    @Override public double storageBytesPerSecond(int i) { return rows.get(i).storage; }
    @Override public int serverInFlight(int i) { return rows.get(i).serverInFlight; }
    @Override public double memoryUtilisation(int i) { return rows.get(i).memoryUtilisation; }
    @Override public double gpuUtilisation(int i) { return rows.get(i).gpuUtilisation; }
}
