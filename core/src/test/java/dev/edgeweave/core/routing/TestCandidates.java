package dev.edgeweave.core.routing;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Candidates} built row by row for router tests, so a test case states only the figures its router
 * reads. Two ways in: {@link #add(GpuType)} appends a row whose server index is its position, for tests that
 * care about the GPU; {@link #of(Row...)} with {@link #server(int)} rows names each server's index, for
 * routers that key state on it.
 */
public final class TestCandidates implements Candidates {

    /** The GPU of {@link #server(int)} rows: synthetic, round numbers. */
    public static final GpuType GPU =
            new GpuType("test-gpu", "Test GPU", 80_000_000_000L, 100.0, 1000.0, "synthetic");

    /** One candidate row; defaults: READY, idle, concurrency 1, 5 ms RTT, 100/100 Mbit/s, 1 km. */
    public static final class Row {
        final int serverIndex;
        final String serverId;
        final GpuType gpu;
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
        double gpuShare = 1.0;

        private Row(int serverIndex, GpuType gpu) {
            this.serverIndex = serverIndex;
            this.serverId = "s" + serverIndex;
            this.gpu = gpu;
        }

        public Row path(NetworkPath p) { path = p; return this; }
        /** The round trip of the path, its bandwidths unchanged. */
        public Row rttSeconds(double s) {
            path = new NetworkPath(s, path.uplinkBitsPerSecond(), path.downlinkBitsPerSecond(), path.measured());
            return this;
        }
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
        public Row gpuShare(double s) { gpuShare = s; return this; }

        @Override
        public String toString() {
            return serverId + "{km=" + distanceKm + ", rtt=" + path.rttSeconds() + ", q=" + queued + ", r="
                    + running + ", mem=" + memoryUtilisation + "}";
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Adds a candidate with server index {@code rows so far}, id {@code s<index>}, on {@code gpu}. */
    public Row add(GpuType gpu) {
        Row r = new Row(rows.size(), gpu);
        rows.add(r);
        return r;
    }

    /** A row for {@link #of(Row...)}: server index {@code serverIndex}, id {@code s<serverIndex>}, on {@link #GPU}. */
    public static Row server(int serverIndex) {
        return new Row(serverIndex, GPU);
    }

    /** The candidates {@code rows}, in that order. */
    public static TestCandidates of(Row... rows) {
        TestCandidates c = new TestCandidates();
        c.rows.addAll(List.of(rows));
        return c;
    }

    /** Servers with indices {@code 0..n-1} and queue lengths {@code queued[i]}. */
    public static TestCandidates withQueues(int... queued) {
        TestCandidates c = new TestCandidates();
        for (int q : queued) {
            c.add(GPU).queued(q);
        }
        return c;
    }

    /** Servers with indices {@code 0..n-1}, all idle and alike. */
    public static TestCandidates idle(int n) {
        return withQueues(new int[n]);
    }

    @Override public String toString() { return rows.toString(); }

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
    @Override public double gpuShare(int i) { return rows.get(i).gpuShare; }
}
