package dev.edgeweave.testbed.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What an evaluation ran: the top-level keys of {@code summary.json}.
 *
 * @param scenario       the scenario's name
 * @param scenarioSha256 SHA-256 (hex) of the scenario file, so a summary names exactly what it measured
 * @param gitCommit      the commit the code was built from ({@code unknown} when not in a repository)
 * @param seeds          number of seeds (seeds 1…N)
 * @param load           the load factor ({@code --load})
 * @param prompts        arrivals of one seed: seed 1's count (seeded classes draw different counts per seed,
 *                       so each policy's {@code arrivals} gives the exact total over seeds)
 * @param wallSeconds    wall-clock seconds the evaluation took: the only key that differs between two runs of
 *                       the same seeds
 */
public record SummaryHeader(String scenario, String scenarioSha256, String gitCommit, int seeds, double load,
                            long prompts, double wallSeconds) {

    public SummaryHeader {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(scenarioSha256, "scenarioSha256");
        Objects.requireNonNull(gitCommit, "gitCommit");
    }

    /** The SHA-256 of a file's bytes, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
