package dev.edgeweave.core.server;

import dev.edgeweave.core.model.ModelSpec;

/**
 * A read-only, live view of one deployment on an {@link EmulatedServer}, for routers and agents. Getters
 * allocate nothing (a router calls them per prompt per candidate). Once the deployment is gone
 * ({@link EmulatedServer#deployment} returns null) a view kept from before shows its last values and
 * {@link #removed()} is true.
 */
public interface DeploymentView {

    ModelSpec model();

    default String modelId() {
        return model().id();
    }

    DeploymentStatus status();

    /** City time it became ready; while LOADING, the time it will be. */
    double readyAt();

    /** The GPU of the server it runs on, 0-based. */
    int gpuIndex();

    /** Jobs waiting for a slot (or for the load), in FIFO order. */
    int queued();

    /** Jobs running now, at most {@link #concurrency()} (more only right after a resize down). */
    int running();

    /** Batch slots: jobs it runs at once. */
    int concurrency();

    /** Its weight when sharing its GPU with other active deployments. */
    double shareWeight();

    /**
     * Recent mean service seconds of one job (start to completion, batching and sharing included): an
     * exponentially weighted mean with α = 0.2 over completed jobs, starting at the first completion's value.
     * Before any job completed, the batch-1 law time of the first job submitted (a lower bound, better for a
     * queue estimate than nothing); 0 before any job was submitted.
     */
    double meanServiceSeconds();

    /** Jobs completed so far. */
    long completed();

    /** City time of the last submit or completion, or of the load when neither happened: for LRU and keep_alive. */
    double lastUsedAt();

    /** GPU memory it holds: the model's {@link ModelSpec#memoryBytes()}. */
    long memoryBytes();

    /** True once the deployment is gone from its server. */
    boolean removed();
}
