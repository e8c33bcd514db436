package dev.edgeweave.connector.runtime;

import dev.edgeweave.connector.ConnectorConfig;
import dev.edgeweave.connector.NodeThread;

/** Builds the runtime a connector's configuration names. */
public final class Runtimes {

    private Runtimes() {
    }

    /** The emulated GPU server on the node thread's city clock. */
    public static ModelRuntime emulated(ConnectorConfig config, NodeThread node, ModelRuntime.Listener listener) {
        return new EmulatedRuntime(config.server(), node, listener);
    }

    /** OpenAI-compatible model servers, launched as {@code connector.http.runtime.launcher} says. */
    public static ModelRuntime http(ConnectorConfig config, NodeThread node, ModelRuntime.Listener listener) {
        ConnectorConfig.HttpRuntimeSettings h = config.http();
        Launcher launcher = switch (h.launcher()) {
            case "process" -> new ProcessLauncher(h.command(), h.logDir());
            case "docker" -> new DockerLauncher(h.dockerImage(), h.containerPort(), h.command());
            default -> Launcher.none();
        };
        HttpRuntime.Options options = new HttpRuntime.Options(h.host(), h.basePort(), h.requestTimeout(),
                h.readyTimeout(), h.modelUrls(), h.modelNames());
        return new HttpRuntime(options, launcher, node, listener);
    }
}
