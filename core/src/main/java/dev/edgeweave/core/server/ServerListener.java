package dev.edgeweave.core.server;

/**
 * What an {@link EmulatedServer} tells its owner, in city time. Every method has a no-op default, so a
 * listener overrides only what it uses.
 *
 * <p>Callbacks run on the scheduler's thread after the server's state is consistent again, so a listener
 * may call back into the server (submit the next job, unload a model). A job aborted by
 * {@link EmulatedServer#fail()} gets no callback; it is in the list {@code fail()} returns.
 */
public interface ServerListener {

    /** A listener that ignores everything. */
    ServerListener NONE = new ServerListener() {
    };

    /** {@code job} got a slot and started running. */
    default void onStarted(EmulatedServer server, Job job, double now) {
    }

    /**
     * {@code job} finished.
     *
     * @param queueSeconds    waiting for a slot, not counting the wait for the model to load
     * @param loadWaitSeconds waiting for the model to load: {@code max(0, readyAt − submit time)}
     * @param serviceSeconds  start to completion, including the slowdown from batching and from sharing the GPU
     */
    default void onCompleted(EmulatedServer server, Job job, double queueSeconds, double loadWaitSeconds,
            double serviceSeconds, double now) {
    }

    /** The deployment of {@code modelId} finished loading and serves. */
    default void onReady(EmulatedServer server, String modelId, double now) {
    }

    /** The deployment of {@code modelId} is gone and its memory is free (after draining, or a cancelled load). */
    default void onUnloaded(EmulatedServer server, String modelId, double now) {
    }
}
