package dev.edgeweave.testbed.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small scenario files for tests: one valid minimal scenario that each test mutates. */
public final class TestScenarios {

    /**
     * A valid scenario: one server, two cells, a chat model and a variant of it, one speech model; chat
     * resampled from the real trace, one localised burst, a shift with explicit shares.
     */
    public static final String MINIMAL = """
            name: mini
            duration:
              seconds: 600
            city:
              accessPoints:
                - {id: ap-1, lat: 51.45, lon: -2.59, radio: NR_SA}
                - {id: ap-2, lat: 51.46, lon: -2.60, radio: LTE}
              sites:
                - {id: site-1, lat: 51.45, lon: -2.58}
              servers:
                - {id: edge-1, site: site-1, gpus: [l4], storageGBps: 0.5}
              links:
                - {from: ap-1, to: edge-1, rttMs: 9, uplinkMbps: 40, downlinkMbps: 200}
            models:
              - id: llama-3.2-3b-instruct
              - {id: chat-ft-01, base: llama-3.2-3b-instruct, note: a tenant}
              - id: whisper-large-v3-turbo
            slo:
              CHAT: 6
              SPEECH_RECOGNITION: 6
            loadReference:
              capacityFraction: 0.7
            users:
              count: 100
              accessPointZipf: 1.0
            workload:
              chat:
                mode: resample
              classes:
                CHAT:
                  share: 0.6
                  models:
                    - {id: llama-3.2-3b-instruct, share: 0.5}
                    - {id: chat-ft-01, share: 0.5}
                SPEECH_RECOGNITION:
                  share: 0.4
                  models:
                    - {id: whisper-large-v3-turbo, share: 1.0}
                  sizes:
                    audioSeconds: {lognormal: {median: 8, sigma: 0.9}, min: 1, max: 300}
              bursts:
                - {start: 100, duration: 60, factor: 3, classes: [SPEECH_RECOGNITION], accessPoints: [ap-2]}
              shift:
                classShares: {CHAT: 0.2, SPEECH_RECOGNITION: 0.8}
                hotAccessPointRotation: 0.5
            """;

    private TestScenarios() {
    }

    /** {@code base} with the first occurrence of {@code from} replaced; fails when it does not occur. */
    public static String replace(String base, String from, String to) {
        int at = base.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("'" + from + "' does not occur in the scenario");
        }
        return base.substring(0, at) + to + base.substring(at + from.length());
    }

    /** Writes {@code yaml} to {@code dir/name.yaml}. */
    public static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based line of the first line of {@code yaml} containing {@code needle}. */
    public static int lineOf(String yaml, String needle) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("'" + needle + "' is on no line");
    }
}
