package dev.edgeweave.connector.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches a model server as a local process from a command template, e.g.
 * {@code vllm serve {model} --port {port}} or {@code llama-server -m /models/{model}.gguf --port {port}}.
 *
 * <p>The template is split on whitespace into the argument vector and run directly, <b>without a shell</b>: no
 * quoting, globbing or variables, so a model id can never become a command. Placeholders, anywhere inside an
 * argument: {@code {model}} (the served model name), {@code {gpu}} (the GPU index) and {@code {port}}; any other
 * {@code {...}} is refused when the launcher is built. The process gets {@code CUDA_VISIBLE_DEVICES={gpu}}, so
 * the server sees its one GPU as device 0.
 *
 * <p>The server's stdout and stderr go to {@code <logDirectory>/<model>-gpu<gpu>-port<port>.log} (appended), never
 * to the connector's log: model servers may echo prompts. {@link Handle#stop} sends SIGTERM to the server,
 * waits up to the stop grace (10 s by default) for it to exit, then kills it and whatever children it left.
 */
public final class ProcessLauncher implements Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);

    /** The placeholders a template may use. */
    static final Set<String> PLACEHOLDERS = Set.of("model", "gpu", "port");

    /** How long {@code stop} waits for a server to exit after SIGTERM, by default. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private final List<String> template;
    private final Path logDirectory;
    private final Duration stopGrace;

    /**
     * {@link #ProcessLauncher(String, Path, Duration)} with the {@linkplain #DEFAULT_STOP_GRACE default grace}.
     */
    public ProcessLauncher(String commandTemplate, Path logDirectory) {
        this(commandTemplate, logDirectory, DEFAULT_STOP_GRACE);
    }

    /**
     * @param commandTemplate the command, arguments separated by whitespace, with placeholders
     * @param logDirectory    where each server's output file goes (created when missing)
     * @param stopGrace       how long {@code stop} waits after SIGTERM before it kills
     * @throws IllegalArgumentException when the template is empty, has an unknown placeholder or an unbalanced
     *                                  brace, or the grace is negative
     */
    public ProcessLauncher(String commandTemplate, Path logDirectory, Duration stopGrace) {
        this.template = parseTemplate(commandTemplate, true);
        this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory");
        this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
        if (stopGrace.isNegative()) {
            throw new IllegalArgumentException("stop grace must be >= 0, was " + stopGrace);
        }
    }

    @Override
    public Handle launch(String modelId, int gpuIndex, int port) throws IOException {
        List<String> argv = argv(modelId, gpuIndex, port);
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(fileSafe(modelId) + "-gpu" + gpuIndex + "-port" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().put("CUDA_VISIBLE_DEVICES", Integer.toString(gpuIndex));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start the model server for " + modelId + " (" + argv.get(0) + "): "
                    + e.getMessage(), e);
        }
        LOG.info("started the model server for {} on GPU {} port {} (pid {}); its output goes to {}", modelId,
                gpuIndex, port, process.pid(), log);
        return new LaunchedProcess(process, modelId, stopGrace);
    }

    /** The argument vector for one deployment: the template with its placeholders filled in. */
    List<String> argv(String modelId, int gpuIndex, int port) {
        return expand(template, modelId, gpuIndex, port);
    }

    // ---- templates, shared with DockerLauncher ---------------------------------------------------------------

    /**
     * Splits {@code template} on whitespace and checks its placeholders.
     *
     * @param requireCommand whether an empty template is refused
     * @throws IllegalArgumentException naming the empty template, the unknown placeholder or the unbalanced brace
     */
    static List<String> parseTemplate(String template, boolean requireCommand) {
        Objects.requireNonNull(template, "command template");
        String trimmed = template.strip();
        if (trimmed.isEmpty()) {
            if (requireCommand) {
                throw new IllegalArgumentException("the model server command template is empty");
            }
            return List.of();
        }
        List<String> tokens = List.of(trimmed.split("\\s+"));
        for (String token : tokens) {
            int i = 0;
            while (i < token.length()) {
                char c = token.charAt(i);
                if (c == '}') {
                    throw new IllegalArgumentException("unbalanced '}' in argument '" + token
                            + "' of the command template '" + trimmed + "'");
                }
                if (c == '{') {
                    int end = token.indexOf('}', i);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed '{' in argument '" + token
                                + "' of the command template '" + trimmed + "'");
                    }
                    String name = token.substring(i + 1, end);
                    if (!PLACEHOLDERS.contains(name)) {
                        throw new IllegalArgumentException("unknown placeholder {" + name
                                + "} in the command template '" + trimmed + "'; known: {model}, {gpu}, {port}");
                    }
                    i = end + 1;
                } else {
                    i++;
                }
            }
        }
        return tokens;
    }

    /** {@code tokens} with {@code {model}}, {@code {gpu}} and {@code {port}} replaced. */
    static List<String> expand(List<String> tokens, String modelId, int gpuIndex, int port) {
        Objects.requireNonNull(modelId, "modelId");
        if (modelId.isBlank() || modelId.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch < 0x20)) {
            throw new IllegalArgumentException("model name '" + modelId
                    + "' cannot be passed as one argument: it is blank or holds whitespace or control characters");
        }
        if (gpuIndex < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, was " + gpuIndex);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            out.add(t.replace("{model}", modelId).replace("{gpu}", Integer.toString(gpuIndex))
                    .replace("{port}", Integer.toString(port)));
        }
        return out;
    }

    /** {@code s} with everything but letters, digits, dot, dash and underscore replaced by {@code _}. */
    static String fileSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static final class LaunchedProcess implements Handle {
        private final Process process;
        private final String modelId;
        private final Duration grace;

        LaunchedProcess(Process process, String modelId, Duration grace) {
            this.process = process;
            this.modelId = modelId;
            this.grace = grace;
        }

        @Override
        public void stop() {
            if (!process.isAlive()) {
                return;
            }
            // Servers such as vLLM start worker processes: remember them now, they outlive a killed parent.
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("the model server for {} (pid {}) did not exit within {} of SIGTERM: killing it",
                            modelId, process.pid(), grace);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
            LOG.info("stopped the model server for {} (pid {})", modelId, process.pid());
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public String toString() {
            return "model server for " + modelId + " (pid " + process.pid() + ")";
        }
    }
}
