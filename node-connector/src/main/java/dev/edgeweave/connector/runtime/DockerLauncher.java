package dev.edgeweave.connector.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches a model server as a Docker container per deployment:
 * <pre>
 * docker run --rm -d --gpus device={gpu} -p {port}:{containerPort} --name edgeweave-{model}-{port} IMAGE ARGS...
 * </pre>
 * e.g. image {@code vllm/vllm-openai:latest}, container port 8000 and arguments {@code --model {model}}. The
 * arguments template takes the same placeholders as {@link ProcessLauncher}'s ({@code {model}}, {@code {gpu}},
 * {@code {port}}) and is split on whitespace, no shell. {@link Handle#stop} is {@code docker rm -f NAME};
 * {@link Handle#alive} asks {@code docker inspect}. The container's output stays with Docker
 * ({@code docker logs}), never in the connector's log.
 *
 * <p>Building one checks nothing about Docker: the first launch does.
 */
public final class DockerLauncher implements Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(DockerLauncher.class);
    private static final long DOCKER_RUN_TIMEOUT_MINUTES = 30;  // the first run may pull a multi-GB image
    private static final long DOCKER_CLI_TIMEOUT_SECONDS = 60;

    private final String docker;
    private final String image;
    private final int containerPort;
    private final List<String> args;

    /** A launcher that runs the {@code docker} command found on the PATH. */
    public DockerLauncher(String image, int containerPort, String argsTemplate) {
        this("docker", image, containerPort, argsTemplate);
    }

    /**
     * @param dockerCommand the Docker CLI ({@code docker}, or a path, or a compatible CLI such as {@code podman})
     * @param image         the model server's image, e.g. {@code vllm/vllm-openai:latest}
     * @param containerPort the port the server listens on inside the container
     * @param argsTemplate  the arguments after the image, with placeholders; may be empty
     * @throws IllegalArgumentException on a blank command or image, a port out of range, or a bad template
     */
    public DockerLauncher(String dockerCommand, String image, int containerPort, String argsTemplate) {
        this.docker = requireWord(dockerCommand, "Docker command");
        this.image = requireWord(image, "container image");
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("container port must be in 1..65535, was " + containerPort);
        }
        this.containerPort = containerPort;
        this.args = ProcessLauncher.parseTemplate(argsTemplate == null ? "" : argsTemplate, false);
    }

    @Override
    public Handle launch(String modelId, int gpuIndex, int port) throws IOException {
        List<String> argv = runArgv(modelId, gpuIndex, port);
        String name = containerName(modelId, port);
        String out = run(argv, DOCKER_RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        LOG.info("started container {} ({}) for {} on GPU {} port {}", name, lastLine(out), modelId, gpuIndex,
                port);
        return new Container(name);
    }

    /** The {@code docker run} argument vector for one deployment. Pure: tests check it without Docker. */
    List<String> runArgv(String modelId, int gpuIndex, int port) {
        List<String> expanded = ProcessLauncher.expand(args, modelId, gpuIndex, port);
        List<String> argv = new ArrayList<>();
        argv.add(docker);
        argv.add("run");
        argv.add("--rm");
        argv.add("-d");
        argv.add("--gpus");
        argv.add("device=" + gpuIndex);
        argv.add("-p");
        argv.add(port + ":" + containerPort);
        argv.add("--name");
        argv.add(containerName(modelId, port));
        argv.add(image);
        argv.addAll(expanded);
        return argv;
    }

    /** The {@code docker rm -f} argument vector that stops a deployment's container. */
    List<String> stopArgv(String containerName) {
        return List.of(docker, "rm", "-f", containerName);
    }

    /**
     * {@code edgeweave-<model>-<port>}, with every character Docker refuses in a name (anything but letters,
     * digits, {@code _ . -}) replaced by {@code -}: {@code llama3.1:8b} becomes {@code llama3.1-8b}.
     */
    static String containerName(String modelId, int port) {
        return "edgeweave-" + modelId.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + port;
    }

    private String run(List<String> argv, long timeout, TimeUnit unit) throws IOException {
        String what = "'" + String.join(" ", argv.subList(0, Math.min(2, argv.size()))) + "'";
        // Its output goes to a file, not a pipe: a pull's progress can exceed a pipe's buffer and block docker.
        // It is docker's own (a container id, pull progress or an error), never the model server's.
        Path out = Files.createTempFile("edgeweave-docker-", ".out");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(timeout, unit)) {
                    p.destroyForcibly();
                    throw new IOException(what + " did not finish within " + timeout + " "
                            + unit.toString().toLowerCase(Locale.ROOT));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + what, e);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IOException(what + " exited with " + p.exitValue() + ": " + lastLine(text));
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().toList();
        String line = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String requireWord(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be one non-blank word, was '" + s + "'");
        }
        return s;
    }

    private final class Container implements Handle {
        private final String name;
        private volatile boolean stopped;

        Container(String name) {
            this.name = name;
        }

        @Override
        public void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            try {
                run(stopArgv(name), DOCKER_CLI_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("removed container {}", name);
            } catch (IOException e) {
                LOG.warn("could not remove container {}: {}", name, e.getMessage());
            }
        }

        @Override
        public boolean alive() {
            if (stopped) {
                return false;
            }
            try {
                return "true".equals(run(List.of(docker, "inspect", "-f", "{{.State.Running}}", name),
                        DOCKER_CLI_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (IOException e) {
                return false;  // no such container: --rm removed it when it exited
            }
        }

        @Override
        public String toString() {
            return "container " + name;
        }
    }
}
