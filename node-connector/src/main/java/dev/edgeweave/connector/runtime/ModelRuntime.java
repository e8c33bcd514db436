package dev.edgeweave.connector.runtime;

import dev.edgeweave.core.model.ModelSpec;
import java.util.List;

/**
 * Where a connector's models run: the emulated GPU server ({@link EmulatedRuntime}) or model servers behind an
 * OpenAI-compatible HTTP API ({@link HttpRuntime}).
 *
 * <p>Threading: every method is called on the connector's node thread, and every {@link Listener} callback
 * arrives on it too (a runtime that works on other threads hands its callbacks to the executor it was given).
 * So the connector's state needs no locks.
 */
public interface ModelRuntime extends AutoCloseable {

    /** What a runtime reports, on the node thread. */
    interface Listener {
        /** {@code modelId} finished loading and serves. */
        void ready(String modelId);

        /** Loading {@code modelId} failed: it is gone, its memory free. */
        void loadFailed(String modelId, String reason);

        /** {@code modelId} drained and is gone, its memory free. */
        void unloaded(String modelId);

        /** {@code work} ended: exactly once per accepted {@link #submit}. */
        void finished(Work work, Outcome outcome);
    }

    /** A deployment as the runtime sees it now, for {@code NodeState}. */
    record DeploymentInfo(String modelId, int gpuIndex, Status status, double readyAt, int concurrency, int queued,
                          int running, double meanServiceSeconds, long memoryBytes, double shareWeight) {
        public enum Status { LOADING, READY, DRAINING }
    }

    /** {@code emulated} or {@code http}. */
    String kind();

    /**
     * Starts loading {@code model} on GPU {@code gpuIndex}; {@link Listener#ready} or
     * {@link Listener#loadFailed} follows. Prompts submitted meanwhile wait for it.
     *
     * @throws IllegalStateException when the model is already deployed or the GPU lacks the memory
     */
    void load(ModelSpec model, int gpuIndex, int concurrency, double shareWeight);

    /** Drains {@code modelId}: no new work, the queued and running work finishes, then {@link Listener#unloaded}. */
    void unload(String modelId);

    /** Changes a deployment's batch slots and share weight. */
    void resize(String modelId, int concurrency, double shareWeight);

    /**
     * Queues {@code work} at its model's deployment.
     *
     * @return false, with no callback, when the model is not deployed here or is draining
     */
    boolean submit(Work work);

    /** The deployments now, in load order. */
    List<DeploymentInfo> deployments();

    /** Memory held on GPU {@code gpuIndex}, loading deployments included. */
    long memoryUsedBytes(int gpuIndex);

    /** Busy share of GPU {@code gpuIndex} since the previous call for it, in [0, 1]. */
    double utilisationSinceLastCall(int gpuIndex);

    /** Stops everything at once; work in progress gets no callback (the connector hands it back itself). */
    @Override
    void close();
}
