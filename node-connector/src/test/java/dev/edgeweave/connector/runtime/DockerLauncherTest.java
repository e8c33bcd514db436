package dev.edgeweave.connector.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The argument vectors {@link DockerLauncher} builds; no Docker engine is called. */
class DockerLauncherTest {

    @Test
    void buildsTheRunCommand() {
        DockerLauncher launcher = new DockerLauncher("vllm/vllm-openai:latest", 8000,
                "--model {model} --served-model-name {model} --max-num-seqs 8");
        assertEquals(List.of("docker", "run", "--rm", "-d", "--gpus", "device=1", "-p", "8101:8000",
                        "--name", "edgeweave-llama-3.1-8b-instruct-8101", "vllm/vllm-openai:latest",
                        "--model", "llama-3.1-8b-instruct", "--served-model-name", "llama-3.1-8b-instruct",
                        "--max-num-seqs", "8"),
                launcher.runArgv("llama-3.1-8b-instruct", 1, 8101));
    }

    @Test
    void anEmptyArgumentTemplateRunsTheImagesOwnCommand() {
        DockerLauncher launcher = new DockerLauncher("podman", "ghcr.io/ggml-org/llama.cpp:server-cuda", 8080, "");
        assertEquals(List.of("podman", "run", "--rm", "-d", "--gpus", "device=0", "-p", "8100:8080",
                "--name", "edgeweave-whisper-large-v3-8100", "ghcr.io/ggml-org/llama.cpp:server-cuda"),
                launcher.runArgv("whisper-large-v3", 0, 8100));
    }

    @Test
    void containerNamesKeepOnlyWhatDockerAccepts() {
        assertEquals("edgeweave-llama3.1-8b-8100", DockerLauncher.containerName("llama3.1:8b", 8100));
        assertEquals("edgeweave-meta-llama-Llama-3.1-8B-Instruct-8102",
                DockerLauncher.containerName("meta-llama/Llama-3.1-8B-Instruct", 8102));
    }

    @Test
    void stopRemovesTheContainerByName() {
        DockerLauncher launcher = new DockerLauncher("vllm/vllm-openai:latest", 8000, "");
        assertEquals(List.of("docker", "rm", "-f", "edgeweave-sdxl-turbo-8103"),
                launcher.stopArgv(DockerLauncher.containerName("sdxl-turbo", 8103)));
    }

    @Test
    void refusesBadConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DockerLauncher("vllm/vllm-openai:latest", 8000, "--model {name}"));
        assertTrue(e.getMessage().contains("{name}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DockerLauncher(" ", 8000, ""));
        assertThrows(IllegalArgumentException.class, () -> new DockerLauncher("vllm/vllm-openai", 0, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new DockerLauncher("vllm/vllm-openai", 8000, "").runArgv("two words", 0, 8100));
    }
}
