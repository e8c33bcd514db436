package dev.edgeweave.core.server;

/** Where a deployment on an {@link EmulatedServer} is in its life. A deployment that is gone has no status. */
public enum DeploymentStatus {
    /** Memory held, weights loading: accepts jobs, which wait until it is ready. */
    LOADING,
    /** Serving. */
    READY,
    /** Being unloaded: refuses new jobs, finishes those it holds, then frees its memory. */
    DRAINING
}
