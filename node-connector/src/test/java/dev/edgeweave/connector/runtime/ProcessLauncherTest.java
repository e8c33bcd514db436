package dev.edgeweave.connector.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessLauncher} with harmless real commands ({@code sleep}, {@code env}) and bad templates. */
class ProcessLauncherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path logs;

    @Test
    void launchesAProcessThatStopStops() throws IOException {
        Launcher launcher = new ProcessLauncher("sleep 30", logs);
        Launcher.Handle handle = launcher.launch("llama-3.1-8b-instruct", 0, 8100);
        try {
            assertTrue(handle.alive());
        } finally {
            handle.stop();
        }
        assertFalse(handle.alive());
        handle.stop();  // a second stop does nothing
        assertTrue(Files.exists(logs.resolve("llama-3.1-8b-instruct-gpu0-port8100.log")));
    }

    @Test
    void theServerSeesItsGpuAndWritesToItsOwnLogFile() throws Exception {
        Launcher launcher = new ProcessLauncher("env EDGEWEAVE_TEST_PORT={port} EDGEWEAVE_TEST_MODEL={model}",
                logs.resolve("servers"));
        Launcher.Handle handle = launcher.launch("meta-llama/Llama-3.1-8B-Instruct", 1, 8123);
        awaitExit(handle);

        Path log = logs.resolve("servers").resolve("meta-llama_Llama-3.1-8B-Instruct-gpu1-port8123.log");
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.contains("CUDA_VISIBLE_DEVICES=1"), "environment: " + lines);
        assertTrue(lines.contains("EDGEWEAVE_TEST_PORT=8123"), "environment: " + lines);
        assertTrue(lines.contains("EDGEWEAVE_TEST_MODEL=meta-llama/Llama-3.1-8B-Instruct"), "environment: " + lines);
    }

    @Test
    void aMissingCommandFailsTheLaunchNamingIt() {
        Launcher launcher = new ProcessLauncher("no-such-model-server-xyz --port {port}", logs);
        IOException e = assertThrows(IOException.class, () -> launcher.launch("m", 0, 8100));
        assertTrue(e.getMessage().contains("no-such-model-server-xyz"), e.getMessage());
    }

    @Test
    void fillsPlaceholdersInsideArgumentsWithoutAShell() {
        ProcessLauncher launcher = new ProcessLauncher(
                "  vllm serve {model}   --port {port} --tag gpu{gpu}-p{port} ; rm -rf $HOME ", logs);
        assertEquals(List.of("vllm", "serve", "Qwen/Qwen2.5-VL-7B-Instruct", "--port", "8102", "--tag", "gpu3-p8102",
                ";", "rm", "-rf", "$HOME"), launcher.argv("Qwen/Qwen2.5-VL-7B-Instruct", 3, 8102));
    }

    @Test
    void refusesBadTemplatesNamingWhatIsWrong() {
        assertMessage("", "empty");
        assertMessage("   ", "empty");
        assertMessage("vllm serve {modle} --port {port}", "{modle}");
        assertMessage("vllm serve {model} --port {port} --device {cuda}", "{cuda}");
        assertMessage("vllm serve {model --port {port}", "unclosed '{'");
        assertMessage("vllm serve model} --port {port}", "unbalanced '}'");
        assertThrows(IllegalArgumentException.class, () -> new ProcessLauncher("sleep 1", logs, Duration.ofSeconds(-1)));
    }

    @Test
    void refusesAModelNameThatWouldSplitIntoSeveralArguments() {
        ProcessLauncher launcher = new ProcessLauncher("serve {model}", logs);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> launcher.argv("llama --trust-remote-code", 0, 8100));
        assertTrue(e.getMessage().contains("llama --trust-remote-code"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> launcher.argv("llama", -1, 8100));
        assertThrows(IllegalArgumentException.class, () -> launcher.argv("llama", 0, 70000));
    }

    private void assertMessage(String template, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProcessLauncher(template, logs));
        assertTrue(e.getMessage().contains(expected), "'" + template + "': " + e.getMessage());
    }

    private static void awaitExit(Launcher.Handle handle) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (handle.alive()) {
            if (System.nanoTime() - deadline > 0) {
                handle.stop();
                fail("the process did not exit within " + WAIT);
            }
            Thread.sleep(10);
        }
    }
}
