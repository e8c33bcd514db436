package dev.edgeweave.core.routing;

import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.latency.DeploymentReadiness;

/**
 * The servers a prompt may go to, as a router sees them at the moment of the decision: an indexed,
 * read-only view (no per-candidate objects, since a router scores up to a hundred servers per prompt).
 * Index {@code i} runs over {@code 0 .. size()-1}; {@link #serverIndex(int)} is the server's stable index in
 * the city, for routers that keep state per server (round-robin counters, observed latencies).
 *
 * <p>Every figure is for the prompt's model on that server: its deployment (or none, for a cold start),
 * the network path from the prompt's access point, and the server's load as a whole.
 */
public interface Candidates {

    int size();

    /** The server's stable index in the city's server list. */
    int serverIndex(int i);

    String serverId(int i);

    /** The GPU the model's deployment runs on (or would be loaded on). */
    GpuType gpu(int i);

    /** The network path from the prompt's access point to the server. */
    NetworkPath path(int i);

    /** Straight-line distance from the prompt's access point to the server's site, km. */
    double distanceKm(int i);

    /** READY, LOADING (with its ETA) or COLD (would have to load first). */
    DeploymentReadiness readiness(int i);

    /** Prompts of this model waiting for a slot at the server. */
    int queued(int i);

    /** Prompts of this model being served at the server. */
    int running(int i);

    /** Slots of the model's deployment (1 for a cold candidate). */
    int concurrency(int i);

    /** Recent mean service time of one prompt of this model at the server, seconds (the law's estimate before any). */
    double meanServiceSeconds(int i);

    /** Storage read bandwidth of the server, bytes/s, for the load time of a cold start. */
    double storageBytesPerSecond(int i);

    /** Prompts in flight at the server over all its models (queued + running). */
    int serverInFlight(int i);

    /** Share of the server's GPU memory in use, in [0, 1]. */
    double memoryUtilisation(int i);

    /** Busy share of the model's GPU recently, in [0, 1]. */
    double gpuUtilisation(int i);

    /**
     * The share of its GPU the model's deployment would get if one more prompt started now: its share weight
     * over the weights of every deployment running on that GPU, itself included, in (0, 1]. Deployments on
     * one GPU split its throughput (processor sharing), so a fast GPU busy with three other models serves a
     * new prompt at a quarter of its speed.
     */
    double gpuShare(int i);
}
