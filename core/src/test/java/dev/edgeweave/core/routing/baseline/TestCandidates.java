package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;
import dev.edgeweave.core.routing.Candidates;
import java.util.Arrays;

/**
 * A hand-made {@link Candidates}: one {@link Server} row per candidate, every figure defaulted to an idle,
 * ready server 1 km away, so a test case states only the figures its router reads.
 */
final class TestCandidates implements Candidates {

    static final GpuType GPU = new GpuType("test-gpu", "Test GPU", 80_000_000_000L, 100.0, 1000.0, "synthetic");

    /** No candidate at all. */
    static final TestCandidates NONE = of();

    private final Server[] servers;

    private TestCandidates(Server[] servers) {
        this.servers = servers;
    }

    static TestCandidates of(Server... servers) {
        return new TestCandidates(servers.clone());
    }

    /** Servers with indices {@code 0..n-1} and queue lengths {@code queued[i]}. */
    static TestCandidates withQueues(int... queued) {
        Server[] servers = new Server[queued.length];
        for (int i = 0; i < queued.length; i++) {
            servers[i] = server(i).queued(queued[i]);
        }
        return new TestCandidates(servers);
    }

    /** Servers with indices {@code 0..n-1}, all idle and alike. */
    static TestCandidates idle(int n) {
        return withQueues(new int[n]);
    }

    static Server server(int serverIndex) {
        return new Server(serverIndex);
    }

    @Override
    public String toString() {
        return Arrays.toString(servers);
    }

    @Override
    public int size() {
        return servers.length;
    }

    @Override
    public int serverIndex(int i) {
        return servers[i].serverIndex;
    }

    @Override
    public String serverId(int i) {
        return "s" + servers[i].serverIndex;
    }

    @Override
    public GpuType gpu(int i) {
        return GPU;
    }

    @Override
    public NetworkPath path(int i) {
        return new NetworkPath(servers[i].rttSeconds, 100e6, 100e6, false);
    }

    @Override
    public double distanceKm(int i) {
        return servers[i].distanceKm;
    }

    @Override
    public DeploymentReadiness readiness(int i) {
        return DeploymentReadiness.READY;
    }

    @Override
    public int queued(int i) {
        return servers[i].queued;
    }

    @Override
    public int running(int i) {
        return servers[i].running;
    }

    @Override
    public int concurrency(int i) {
        return 4;
    }

    @Override
    public double meanServiceSeconds(int i) {
        return 1.0;
    }

    @Override
    public double storageBytesPerSecond(int i) {
        return 1e9;
    }

    @Override
    public int serverInFlight(int i) {
        return servers[i].queued + servers[i].running;
    }

    @Override
    public double memoryUtilisation(int i) {
        return servers[i].memoryUtilisation;
    }

    @Override
    public double gpuUtilisation(int i) {
        return 0.0;
    }

    /** One candidate row; setters return the row so a case reads as one expression. */
    static final class Server {

        final int serverIndex;
        double distanceKm = 1.0;
        double rttSeconds = 0.010;
        int queued;
        int running;
        double memoryUtilisation;

        private Server(int serverIndex) {
            this.serverIndex = serverIndex;
        }

        Server distanceKm(double km) {
            this.distanceKm = km;
            return this;
        }

        Server rttSeconds(double seconds) {
            this.rttSeconds = seconds;
            return this;
        }

        Server queued(int n) {
            this.queued = n;
            return this;
        }

        Server running(int n) {
            this.running = n;
            return this;
        }

        Server memoryUtilisation(double share) {
            this.memoryUtilisation = share;
            return this;
        }

        @Override
        public String toString() {
            return "s" + serverIndex + "{km=" + distanceKm + ", rtt=" + rttSeconds + ", q=" + queued + ", r="
                    + running + ", mem=" + memoryUtilisation + "}";
        }
    }
}
