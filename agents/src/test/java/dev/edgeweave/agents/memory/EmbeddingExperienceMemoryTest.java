package dev.edgeweave.agents.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory's bookkeeping (outcomes, agents, persistence, bound, compaction, corrupt lines) with a
 * deterministic bag-of-words embedder in place of MiniLM, so each case runs in milliseconds.
 * {@link MiniLmExperienceMemoryTest} checks recall with the real model.
 */
class EmbeddingExperienceMemoryTest {

    /** Each word adds 1 to one of 64 dimensions: texts sharing words are similar. */
    static final SituationEmbedder WORDS = new SituationEmbedder() {
        @Override
        public float[] embed(String text) {
            float[] v = new float[64];
            for (String w : text.toLowerCase().split("\\W+")) {
                if (!w.isEmpty()) {
                    v[Math.floorMod(w.hashCode(), 64)] += 1;
                }
            }
            return v;
        }

        @Override
        public String name() {
            return "words-64";
        }
    };

    @TempDir
    Path dir;

    private EmbeddingExperienceMemory open(int capacity) {
        return EmbeddingExperienceMemory.open(dir, WORDS, capacity, 3);
    }

    private static Experience exp(String id, String agent, String situation, String outcome) {
        return new Experience(id, agent, 0, situation, "{\"id\":\"" + id + "\"}", outcome);
    }

    private static List<String> ids(List<Experience> es) {
        return es.stream().map(Experience::id).toList();
    }

    /** The scheduling agent's recallable ids, sorted. */
    private static List<String> held(EmbeddingExperienceMemory m) {
        return ids(m.recall("scheduling", "load", 100)).stream().sorted().toList();
    }

    @Test
    void recallsMostSimilarFirstAndAtMostK() {
        try (var m = open(100)) {
            m.remember(exp("far", "scheduling", "quiet night idle servers", "ok"));
            m.remember(exp("near", "scheduling", "busy chat queue long gpu hot", "ok"));
            m.remember(exp("mid", "scheduling", "busy chat queue short", "ok"));
            assertEquals(List.of("near", "mid", "far"), ids(m.recall("scheduling", "busy chat queue long gpu", 5)));
            assertEquals(List.of("near", "mid"), ids(m.recall("scheduling", "busy chat queue long gpu", 2)));
            assertEquals(List.of(), m.recall("scheduling", "busy", 0));
        }
    }

    @Test
    void recallsOnlyExperiencesWithAnOutcome() {
        try (var m = open(100)) {
            m.remember(exp("a", "planning", "demand high", ""));
            m.remember(exp("b", "planning", "demand high", ""));
            assertEquals(List.of(), m.recall("planning", "demand high", 5));
            m.outcome("b", "p95 -10%");
            List<Experience> got = m.recall("planning", "demand high", 5);
            assertEquals(List.of("b"), ids(got));
            assertEquals("p95 -10%", got.get(0).outcome());
            assertEquals(2, m.size());
        }
    }

    @Test
    void keepsAgentsApart() {
        try (var m = open(100)) {
            m.remember(exp("s1", "scheduling", "demand high", "ok"));
            m.remember(exp("p1", "planning", "demand high", "ok"));
            m.remember(exp("d1", "deployment", "demand high", "ok"));
            assertEquals(List.of("s1"), ids(m.recall("scheduling", "demand high", 5)));
            assertEquals(List.of("p1"), ids(m.recall("planning", "demand high", 5)));
            assertEquals(List.of(), m.recall("nobody", "demand high", 5));
            assertEquals(3, m.size());
            assertEquals(1, m.size("planning"));
        }
    }

    @Test
    void anOutcomeForAnIdItDoesNotHoldChangesNothing() {
        try (var m = open(100)) {
            m.remember(exp("a", "planning", "demand high", ""));
            long lines = m.fileLines();
            m.outcome("gone", "ok");
            assertEquals(lines, m.fileLines());
            assertEquals(List.of(), m.recall("planning", "demand high", 5));
        }
    }

    @Test
    void survivesARestart() {
        List<Experience> before;
        try (var m = open(100)) {
            m.remember(exp("a", "scheduling", "busy chat queue long", ""));
            m.remember(exp("b", "scheduling", "quiet night", "fine"));
            m.remember(exp("c", "planning", "busy chat queue long", "ok"));
            m.outcome("a", "p95 -20%");
            before = m.recall("scheduling", "busy chat queue", 5);
        }
        try (var m = open(100)) {
            assertEquals(3, m.size());
            assertEquals(before, m.recall("scheduling", "busy chat queue", 5));
            assertEquals(List.of("a", "b"), ids(before));
            assertEquals("p95 -20%", before.get(0).outcome());
            assertEquals(List.of(), m.skippedOnLoad());
        }
    }

    @Test
    void evictsTheOldestAtCapacity() {
        try (var m = open(3)) {
            for (int i = 1; i <= 5; i++) {
                m.remember(exp("s" + i, "scheduling", "load " + i, "ok"));
            }
            m.remember(exp("p1", "planning", "load 1", "ok"));
            assertEquals(3, m.size("scheduling"));
            assertEquals(List.of("s3", "s4", "s5"), held(m));
            assertEquals(1, m.size("planning")); // another agent's capacity is its own
        }
        try (var m = open(3)) { // the evictions were persisted
            assertEquals(List.of("s3", "s4", "s5"), held(m));
        }
    }

    @Test
    void evictsALongPendingExperienceBeforeTheOldest() {
        try (var m = open(4)) { // pending horizon 3 decisions
            m.remember(exp("old", "scheduling", "load 1", "ok"));
            m.remember(exp("lost", "scheduling", "load 2", "")); // its outcome never comes
            m.remember(exp("s3", "scheduling", "load 3", "ok"));
            m.remember(exp("s4", "scheduling", "load 4", "ok"));
            m.remember(exp("s5", "scheduling", "load 5", "")); // 3 decisions after "lost": it is stale
            assertEquals(List.of("old", "s3", "s4"), held(m));
            assertEquals(4, m.size());
            m.remember(exp("s6", "scheduling", "load 6", "ok")); // s5 pending but recent: the oldest goes
            assertEquals(List.of("s3", "s4", "s6"), held(m));
            m.outcome("s5", "ok");
            assertEquals(4, m.recall("scheduling", "load", 10).size());
        }
    }

    @Test
    void compactionKeepsTheLiveSet() throws IOException {
        List<Experience> before;
        try (var m = open(5)) {
            for (int i = 1; i <= 40; i++) {
                m.remember(exp("s" + i, "scheduling", "load " + i + " queue " + (i % 7), ""));
                m.outcome("s" + i, "outcome " + i);
                assertTrue(m.fileLines() <= 2L * m.size(), "compacted: " + m.fileLines() + " lines");
            }
            before = m.recall("scheduling", "load 38 queue 3", 5);
            assertEquals(List.of("s36", "s37", "s38", "s39", "s40"), ids(before).stream().sorted().toList());
        }
        List<String> lines = Files.readAllLines(dir.resolve(EmbeddingExperienceMemory.FILE_NAME));
        assertTrue(lines.size() <= 10, lines.size() + " lines");
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"s1\"")), "evicted ones are gone from the file");
        try (var m = open(5)) {
            assertEquals(5, m.size());
            assertEquals(before, m.recall("scheduling", "load 38 queue 3", 5));
            assertEquals(List.of(), m.skippedOnLoad());
        }
        assertTrue(Files.notExists(dir.resolve(EmbeddingExperienceMemory.FILE_NAME + ".tmp")));
    }

    @Test
    void skipsACorruptLineAndKeepsTheRest() throws IOException {
        try (var m = open(100)) {
            m.remember(exp("a", "scheduling", "busy chat", "ok"));
            for (String id : List.of("b", "c", "d", "e")) {
                m.remember(exp(id, "scheduling", "quiet night " + id, "ok"));
            }
        }
        Path file = dir.resolve(EmbeddingExperienceMemory.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(1, "{\"op\":\"remember\",\"id\":\"x\""); // line 2: cut short
        lines.add(2, "{\"op\":\"forget\",\"id\":\"a\"}"); // line 3: unknown op
        lines.add(3, "{\"op\":\"remember\",\"id\":\"y\",\"agent\":\"scheduling\",\"at\":\"soon\",\"situation\":\"s\","
                + "\"decision\":\"d\"}"); // line 4: at is not a number
        lines.add(4, "{\"op\":\"evict\",\"id\":\"a\"}{\"op\":\"evict\",\"id\":\"b\"}"); // line 5: two glued
        Files.writeString(file, String.join("\n", lines) + "\n{\"op\":\"outcome\",\"id\":\"b\",\"outc",
                StandardCharsets.UTF_8); // line 10: a torn last write, without its newline
        try (var m = open(100)) {
            assertEquals(List.of(2, 3, 4, 5, 10), m.skippedOnLoad());
            assertEquals(5, m.size());
            assertEquals("a", m.recall("scheduling", "busy chat", 5).get(0).id());
            m.remember(exp("f", "scheduling", "busy chat again", "ok")); // line 11, not glued to the torn one
        }
        try (var m = open(100)) {
            assertEquals(List.of(2, 3, 4, 5, 10), m.skippedOnLoad()); // not compacted yet: 11 lines, 6 live
            assertEquals(List.of("a", "f"), ids(m.recall("scheduling", "busy chat", 2)));
        }
    }

    @Test
    void reembedsWhenTheEmbedderChanges() {
        try (var m = open(100)) {
            m.remember(exp("a", "scheduling", "busy chat", "ok"));
            m.remember(exp("b", "scheduling", "quiet night", "ok"));
        }
        AtomicInteger calls = new AtomicInteger();
        SituationEmbedder other = new SituationEmbedder() {
            @Override
            public float[] embed(String text) {
                calls.incrementAndGet();
                return WORDS.embed(text);
            }

            @Override
            public String name() {
                return "words-64-v2";
            }
        };
        try (var m = EmbeddingExperienceMemory.open(dir, other, 100, 3)) {
            assertEquals(2, calls.get());
            assertEquals(List.of("b", "a"), ids(m.recall("scheduling", "quiet night", 5)));
        }
        calls.set(0);
        try (var m = EmbeddingExperienceMemory.open(dir, other, 100, 3)) {
            assertEquals(0, calls.get()); // the new vectors were stored
        }
    }

    @Test
    void aLowerCapacityOnReopenEvictsTheOldest() {
        try (var m = open(10)) {
            for (int i = 1; i <= 6; i++) {
                m.remember(exp("s" + i, "scheduling", "load " + i, "ok"));
            }
        }
        try (var m = open(2)) {
            assertEquals(List.of("s5", "s6"), held(m));
        }
    }

    @Test
    void oneMemoryPerDirectory() {
        try (var m = open(10)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(10));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        try (var m = open(10)) { // released by close
            assertEquals(0, m.size());
        }
    }

    @Test
    void aClosedMemoryRefusesWork() {
        var m = open(10);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.remember(exp("a", "scheduling", "x", "")));
    }

    @Test
    void remembersFromSeveralThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (var m = open(1000)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String id = "t" + thread + "-" + i;
                        m.remember(exp(id, "scheduling", "load " + i, ""));
                        m.outcome(id, "ok");
                        m.recall("scheduling", "load " + i, 3);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(200, m.size());
        } finally {
            pool.shutdownNow();
        }
        try (var m = open(1000)) {
            assertEquals(200, m.size());
            assertEquals(200, m.recall("scheduling", "load", 500).size());
        }
    }
}
