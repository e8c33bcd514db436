package dev.edgeweave.connector.runtime;

import java.io.IOException;

/**
 * Starts and stops the model server process of one deployment of the {@link HttpRuntime}: one model, on one
 * GPU, listening on one port.
 *
 * <p>Implementations: {@link ProcessLauncher} (a command such as {@code vllm serve {model} --port {port}}),
 * {@link DockerLauncher} (a container per deployment) and {@link #none()} (the model servers are already
 * running, e.g. one Ollama shared by every model).
 *
 * <p>Threading: {@link #launch} and {@link Handle#stop} may block (a process to start, a container image to
 * pull, a server to let go of its GPU), so the {@code HttpRuntime} calls them on a background thread, never on
 * the node thread.
 */
public interface Launcher {

    /**
     * Starts the model server for {@code modelId} on GPU {@code gpuIndex}, to listen on {@code port}. It
     * returns once the process is started, not once it serves: the runtime polls its health for that.
     *
     * @param modelId  the served model's name (the catalog id, or the name the server knows it by)
     * @param gpuIndex the GPU to use, 0-based
     * @param port     the TCP port the server must listen on
     * @return the handle to stop it with
     * @throws IOException when the process cannot be started
     */
    Handle launch(String modelId, int gpuIndex, int port) throws IOException;

    /** One launched model server. */
    interface Handle {
        /** Stops the server and waits (bounded) until it is gone; a second call does nothing. */
        void stop();

        /** Whether the server process is still running (a server that died during its load is not). */
        boolean alive();
    }

    /**
     * A launcher for model servers that are already running and outlive the connector: {@code launch} starts
     * nothing, and its handle's {@code stop} only marks it stopped.
     */
    static Launcher none() {
        return (modelId, gpuIndex, port) -> new Handle() {
            private volatile boolean stopped;

            @Override
            public void stop() {
                stopped = true;
            }

            @Override
            public boolean alive() {
                return !stopped;
            }

            @Override
            public String toString() {
                return "already running server for " + modelId;
            }
        };
    }
}
