package dev.edgeweave.agents.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall with the real all-MiniLM-L6-v2 model, in-process (about 1.5 s to load once for the class, then
 * milliseconds per situation). The situations are rendered as the agents render them: small tables of numbers.
 *
 * <p>Measured with this model: every such table is within cosine 0.96 to 0.999 of every other, and the
 * ranking is decided in the third decimal. A clock line ({@code window_end 64800}) moved the vector more than
 * several changed loads did, so situations carry no time (the experience's {@code at} does); and a server going
 * down (one 1 turned 0) hardly moves it, so renderers should name such states in words.
 */
class MiniLmExperienceMemoryTest {

    /** A busy evening: chat queues building on s1. */
    static final String BUSY = """
            class  prompts p50_ms p95_ms slowdown weight
            chat   420     180    610    1.35     0.50
            code   130     240    900    1.80     0.30
            vision 40      800    2100   2.60     0.20
            server up gpu_util mem_used_gb queue
            s1     1  0.91     70.2        14
            s2     1  0.44     31.0        2
            """;

    /** Nearly the same evening: a few numbers moved. */
    static final String BUSY_TOO = """
            class  prompts p50_ms p95_ms slowdown weight
            chat   435     185    640    1.41     0.50
            code   122     236    880    1.75     0.30
            vision 44      820    2250   2.70     0.20
            server up gpu_util mem_used_gb queue
            s1     1  0.93     71.0        17
            s2     1  0.41     30.2        1
            """;

    /** A quiet night with a server down: nothing like the evenings. */
    static final String QUIET = """
            class  prompts p50_ms p95_ms slowdown weight
            chat   12      90     140    1.00     0.34
            server up gpu_util mem_used_gb queue
            s1     0  0.00     0.0         0
            s2     1  0.05     12.4        0
            s3     1  0.02     8.1         0
            """;

    /** The busy evening again, one window later: one number changed. */
    static final String BUSY_AGAIN = BUSY.replace("420     180", "423     180");

    static SituationEmbedder miniLm;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModel() {
        long t0 = System.nanoTime();
        miniLm = SituationEmbedder.miniLm();
        double loadMs = (System.nanoTime() - t0) / 1e6;
        miniLm.embed("warm up");
        int n = 50;
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            miniLm.embed(BUSY.replace("420", Integer.toString(400 + i)));
        }
        double embedMs = (System.nanoTime() - t1) / 1e6 / n;
        System.out.printf("MiniLM: model loaded in %.0f ms; %.1f ms per situation (%d-line table, mean of %d), "
                + "%d dimensions%n", loadMs, embedMs, BUSY.lines().count(), n, miniLm.embed(BUSY).length);
    }

    private static Experience exp(String id, String situation) {
        return new Experience(id, "scheduling", 0, situation, "{}", "p95 " + id);
    }

    private EmbeddingExperienceMemory open() {
        return EmbeddingExperienceMemory.open(dir, miniLm, 100, 10);
    }

    @Test
    void recallsTheMostSimilarSituationFirst() {
        double ab = EmbeddingExperienceMemory.dot(unit(BUSY), unit(BUSY_TOO));
        double ac = EmbeddingExperienceMemory.dot(unit(BUSY), unit(QUIET));
        double qa = EmbeddingExperienceMemory.dot(unit(BUSY_AGAIN), unit(BUSY));
        double qb = EmbeddingExperienceMemory.dot(unit(BUSY_AGAIN), unit(BUSY_TOO));
        double qc = EmbeddingExperienceMemory.dot(unit(BUSY_AGAIN), unit(QUIET));
        System.out.printf("MiniLM cosine: busy~busyToo %.3f, busy~quiet %.3f; query~busy %.3f, query~busyToo %.3f, "
                + "query~quiet %.3f%n", ab, ac, qa, qb, qc);
        try (var m = open()) {
            m.remember(exp("quiet", QUIET));
            m.remember(exp("busy", BUSY));
            m.remember(exp("busyToo", BUSY_TOO));
            List<Experience> got = m.recall("scheduling", BUSY_AGAIN, 3);
            assertEquals(List.of("busy", "busyToo", "quiet"), got.stream().map(Experience::id).toList());
            assertEquals("p95 busy", got.get(0).outcome());
            assertEquals(List.of("quiet"), m.recall("scheduling", QUIET.replace("10800", "11400"), 1).stream()
                    .map(Experience::id).toList());
        }
        assertTrue(ab > ac, "the two evenings are closer to each other than to the night");
    }

    @Test
    void recallsTheSameAfterARestart() {
        List<Experience> before;
        try (var m = open()) {
            m.remember(exp("quiet", QUIET));
            m.remember(exp("busy", BUSY));
            m.remember(exp("busyToo", BUSY_TOO));
            before = m.recall("scheduling", BUSY_AGAIN, 3);
        }
        long t0 = System.nanoTime();
        try (var m = open()) {
            System.out.printf("MiniLM memory reopened (3 experiences, stored vectors) in %.1f ms%n",
                    (System.nanoTime() - t0) / 1e6);
            assertEquals(before, m.recall("scheduling", BUSY_AGAIN, 3));
        }
    }

    private static float[] unit(String text) {
        return EmbeddingExperienceMemory.unit(miniLm.embed(text));
    }
}
