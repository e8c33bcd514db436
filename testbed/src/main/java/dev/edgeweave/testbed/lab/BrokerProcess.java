package dev.edgeweave.testbed.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker as its own process, started and stopped by {@code infra/broker.sh} (one KRaft node from the
 * Maven jars the code is built against) on two free loopback ports, with its data in a directory of the lab's.
 */
public final class BrokerProcess implements AutoCloseable {

    /** The broker's heap unless {@code BROKER_HEAP_OPTS} is set: the lab's records fit well within it. */
    static final String LAB_HEAP = "-Xms128m -Xmx512m";

    private final Path script;
    private final Path dir;
    private final int[] ports;
    /** {@code --scram-user NAME --scram-password-env VAR}, or nothing. */
    private final List<String> scramArgs;
    /** The password's variable for the script's environment, or nothing; never on a command line. */
    private final Map<String, String> scramEnv;
    private final String bootstrap;
    private final long pid;
    private final PrintStream log;
    private boolean stopped;

    private BrokerProcess(Path script, Path dir, int[] ports, List<String> scramArgs, Map<String, String> scramEnv,
                          String bootstrap, long pid, PrintStream log) {
        this.script = script;
        this.dir = dir;
        this.ports = ports;
        this.scramArgs = scramArgs;
        this.scramEnv = scramEnv;
        this.bootstrap = bootstrap;
        this.pid = pid;
        this.log = log;
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param repoRoot the repository (holding {@code infra/broker.sh})
     * @param dir      its data, logs and pid file (created)
     * @throws IllegalStateException naming why it did not start, with the script's last lines
     */
    public static BrokerProcess start(Path repoRoot, Path dir, Duration timeout, PrintStream log)
            throws IOException, InterruptedException {
        return start(repoRoot.resolve("infra").resolve("broker.sh"), dir, freePorts(2), List.of(), Map.of(), timeout,
                log);
    }

    /**
     * Starts a broker whose client listener takes SASL/SCRAM-SHA-512 only, with {@code user}'s credentials created
     * when its storage is formatted ({@code broker.sh --scram-user --scram-password-env}). The password reaches
     * the script in its environment, as {@code passwordVariable}: never on a command line.
     */
    public static BrokerProcess startScram(Path repoRoot, Path dir, Duration timeout, PrintStream log, String user,
                                           String passwordVariable, String password)
            throws IOException, InterruptedException {
        return start(repoRoot.resolve("infra").resolve("broker.sh"), dir, freePorts(2),
                List.of("--scram-user", user, "--scram-password-env", passwordVariable),
                Map.of(passwordVariable, password), timeout, log);
    }

    /** Stops this broker and starts it again on the same ports with the same data. */
    public BrokerProcess restart(Duration timeout) throws IOException, InterruptedException {
        close();
        return start(script, dir, ports, scramArgs, scramEnv, timeout, log);
    }

    private static BrokerProcess start(Path script, Path dir, int[] ports, List<String> scramArgs,
                                       Map<String, String> scramEnv, Duration timeout, PrintStream log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("cannot start a Kafka broker: " + script + " is missing");
        }
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "start", "--port",
                Integer.toString(ports[0]), "--controller-port", Integer.toString(ports[1]), "--dir", dir.toString(),
                "--timeout", Long.toString(Math.max(1, timeout.toSeconds()))));
        command.addAll(scramArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putIfAbsent("BROKER_HEAP_OPTS", LAB_HEAP);
        env.putAll(scramEnv);
        Process p = pb.start();
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last.addLast(line);
                if (last.size() > 15) {
                    last.removeFirst();
                }
                if (!line.matches("127\\.0\\.0\\.1:\\d+")) {
                    log.println("lab: broker: " + line);
                }
            }
        }
        if (!p.waitFor(timeout.toSeconds() + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("infra/broker.sh start did not return; see " + dir.resolve("logs"));
        }
        String bootstrap = last.isEmpty() ? "" : last.peekLast();
        if (p.exitValue() != 0 || !bootstrap.equals("127.0.0.1:" + ports[0])) {
            throw new IllegalStateException("the Kafka broker did not start (infra/broker.sh exited " + p.exitValue()
                    + "):\n  " + String.join("\n  ", last));
        }
        long pid = Long.parseLong(Files.readString(dir.resolve("broker.pid")).trim());
        return new BrokerProcess(script, dir, ports, scramArgs, scramEnv, bootstrap, pid, log);
    }

    /**
     * The repository holding {@code infra/broker.sh}: {@code -Dedgeweave.root} (the launcher sets it), else the
     * nearest parent of the working directory that holds the script.
     *
     * @throws IllegalStateException when there is none
     */
    public static Path repoRoot() {
        String root = System.getProperty("edgeweave.root");
        if (root != null) {
            return Path.of(root);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("infra").resolve("broker.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find infra/broker.sh: run from the repository (or use --bootstrap)");
    }

    /** Ports nothing listens on now, on the loopback address (another process may still take one first). */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    public long pid() {
        return pid;
    }

    /** The broker process's peak resident memory so far ({@code VmHWM}); -1 where /proc cannot tell. */
    public long peakResidentBytes() {
        return ProcessMemory.peakResidentBytes(pid);
    }

    /** Stops the broker (SIGTERM, SIGKILL after 30 s). Idempotent. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "stop", "--dir", dir.toString(), "--timeout", "30")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                log.println("lab: broker: stopping it failed: " + out);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            } else {
                log.println("lab: broker: " + out);
            }
        } catch (IOException e) {
            log.println("lab: broker: stopping it failed (" + e.getMessage() + "); killing pid " + pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
