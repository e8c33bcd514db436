package dev.edgeweave.agents.memory;

import dev.edgeweave.agents.memory.ExperienceLog.Evicted;
import dev.edgeweave.agents.memory.ExperienceLog.Event;
import dev.edgeweave.agents.memory.ExperienceLog.Measured;
import dev.edgeweave.agents.memory.ExperienceLog.Remembered;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Experience memory that recalls by meaning: each situation is embedded (by default with the in-process
 * all-MiniLM-L6-v2 model, {@link SituationEmbedder#miniLm()}) and a recall returns the agent's past
 * experiences whose situations have the highest cosine similarity to the one at hand. Brute force over the
 * held vectors: at 10,000 experiences of 384 floats a recall is a few milliseconds, less than embedding the
 * query, so an index would buy nothing at this bound.
 *
 * <p><b>Persistence.</b> Everything is kept in {@code experiences.jsonl} in the directory given at
 * {@link #open}, append-only, one JSON object per line and per event:
 * <pre>
 * {"op":"remember","seq":7,"id":"d-7","agent":"scheduling","at":120.0,"situation":"...","decision":"{...}",
 *  "outcome":"","model":"all-minilm-l6-v2","vector":"&lt;base64&gt;"}     (one line in the file)
 * {"op":"outcome","id":"d-7","outcome":"p95 -12%, fairness +0.03"}
 * {"op":"evict","id":"d-1"}
 * </pre>
 * Opening replays the file in order. The situation's vector is stored (unit length, little-endian float32,
 * base64) with the name of the embedder that made it: reloading 30,000 experiences takes about a second,
 * where re-embedding them would take two minutes. A vector that is missing, unreadable, of another size or
 * from an embedder of another name is re-embedded on load (and the file compacted with the new vectors).
 * When the file holds more than twice as many lines as live experiences it is compacted: rewritten as one
 * {@code remember} line per live experience, outcome folded in, to a temporary file that is then moved over
 * the old one, so a crash leaves one whole file. A line that cannot be read (a torn last write, a hand edit)
 * is skipped with a warning naming its line number; the rest loads. A lock file keeps a second memory from
 * writing to the same directory.
 *
 * <p><b>Bound and eviction.</b> Each agent holds at most {@code capacityPerAgent} experiences (default
 * {@value #DEFAULT_CAPACITY_PER_AGENT}). Remembering one more evicts, from that agent:
 * <ol>
 *   <li>first, its oldest experience still without an outcome after {@code pendingHorizon} later decisions of
 *       the same agent (default {@value #DEFAULT_PENDING_HORIZON}): its outcome was due one period later and is
 *       lost (the agent restarted, the measurement failed), so it can never be recalled;</li>
 *   <li>otherwise its oldest experience, by insertion order.</li>
 * </ol>
 * Oldest first because the city drifts (demand, models, servers change), so the oldest situations are the
 * least likely to resemble today's and their outcomes were measured under conditions that no longer hold.
 * Age is counted in decisions, not city seconds, because city time starts again at 0 in every testbed run
 * and the agents' periods differ.
 *
 * <p>Thread-safe: the state and the file are guarded by this object's monitor; embedding, the slow part,
 * runs outside it, so a recall from the planner's executor does not wait for another thread's embedding.
 */
public final class EmbeddingExperienceMemory implements ExperienceMemory {

    public static final int DEFAULT_CAPACITY_PER_AGENT = 10_000;
    public static final int DEFAULT_PENDING_HORIZON = 100;
    public static final String FILE_NAME = ExperienceLog.FILE_NAME;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingExperienceMemory.class);

    /** Most similar first; equal similarity: the newer first. */
    private static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed()
            .thenComparing(Comparator.comparingLong(Scored::seq).reversed());

    private final SituationEmbedder embedder;
    private final int capacityPerAgent;
    private final int pendingHorizon;
    private final ExperienceLog log;
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Shelf> byAgent = new HashMap<>();
    private boolean closed;

    /** One held experience; {@code experience} changes when its outcome is measured. */
    private static final class Entry {
        Experience experience;
        final long seq;
        float[] vector;
        final String model; // the embedder the vector came from

        Entry(Experience experience, long seq, String model, float[] vector) {
            this.experience = experience;
            this.seq = seq;
            this.model = model;
            this.vector = vector;
        }

        boolean measured() {
            return !experience.outcome().isBlank();
        }
    }

    /** One agent's experiences in insertion order, and the sequence number of its latest decision. */
    private static final class Shelf {
        final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        long lastSeq;
    }

    private record Scored(Experience experience, double score, long seq) {
    }

    private EmbeddingExperienceMemory(Path dir, SituationEmbedder embedder, int capacityPerAgent, int pendingHorizon) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (capacityPerAgent < 1) {
            throw new IllegalArgumentException("capacityPerAgent must be at least 1, was " + capacityPerAgent);
        }
        if (pendingHorizon < 1) {
            throw new IllegalArgumentException("pendingHorizon must be at least 1, was " + pendingHorizon);
        }
        this.capacityPerAgent = capacityPerAgent;
        this.pendingHorizon = pendingHorizon;
        this.log = ExperienceLog.open(Objects.requireNonNull(dir, "dir"));
        try {
            load();
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Opens the memory in {@code dir} (created if needed) with the MiniLM embedder, {@value
     * #DEFAULT_CAPACITY_PER_AGENT} experiences per agent and a pending horizon of {@value
     * #DEFAULT_PENDING_HORIZON} decisions.
     */
    public static EmbeddingExperienceMemory open(Path dir) {
        return open(dir, SituationEmbedder.miniLm(), DEFAULT_CAPACITY_PER_AGENT, DEFAULT_PENDING_HORIZON);
    }

    /**
     * Opens the memory in {@code dir} (created if needed), replaying what it holds.
     *
     * @param embedder         turns situations into vectors
     * @param capacityPerAgent experiences held per agent, at least 1
     * @param pendingHorizon   later decisions of the same agent after which an experience still without its
     *                         outcome is evicted before any other, at least 1
     * @throws IllegalStateException if another memory holds {@code dir}
     * @throws java.io.UncheckedIOException if the directory or its file cannot be read or written
     */
    public static EmbeddingExperienceMemory open(Path dir, SituationEmbedder embedder, int capacityPerAgent,
                                                 int pendingHorizon) {
        return new EmbeddingExperienceMemory(dir, embedder, capacityPerAgent, pendingHorizon);
    }

    @Override
    public void remember(Experience e) {
        Objects.requireNonNull(e, "experience");
        float[] vector = unit(embedder.embed(e.situation()));
        synchronized (this) {
            ensureOpen();
            Shelf shelf = byAgent.computeIfAbsent(e.agent(), a -> new Shelf());
            record(new Remembered(e, shelf.lastSeq + 1, embedder.name(), vector));
            evictBeyondCapacity(shelf);
            compactIfLarge();
        }
    }

    @Override
    public synchronized void outcome(String id, String measured) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(measured, "measured");
        ensureOpen();
        if (byId.containsKey(id)) {
            record(new Measured(id, measured));
            compactIfLarge();
        }
    }

    @Override
    public List<Experience> recall(String agent, String situation, int k) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(situation, "situation");
        synchronized (this) {
            ensureOpen();
            Shelf shelf = byAgent.get(agent);
            if (k <= 0 || shelf == null || shelf.entries.values().stream().noneMatch(Entry::measured)) {
                return List.of(); // nothing to compare with: spare the embedding
            }
        }
        float[] query = unit(embedder.embed(situation));
        synchronized (this) {
            ensureOpen();
            Shelf shelf = byAgent.get(agent);
            if (shelf == null) {
                return List.of();
            }
            PriorityQueue<Scored> best = new PriorityQueue<>(BEST_FIRST.reversed()); // worst kept on top
            for (Entry en : shelf.entries.values()) {
                if (!en.measured()) {
                    continue;
                }
                best.add(new Scored(en.experience, dot(query, en.vector), en.seq));
                if (best.size() > k) {
                    best.poll();
                }
            }
            List<Scored> sorted = new ArrayList<>(best);
            sorted.sort(BEST_FIRST);
            return sorted.stream().map(Scored::experience).toList();
        }
    }

    @Override
    public synchronized int size() {
        return byId.size();
    }

    /** Experiences held for {@code agent}. */
    public synchronized int size(String agent) {
        Shelf shelf = byAgent.get(agent);
        return shelf == null ? 0 : shelf.entries.size();
    }

    /** Flushes and releases the directory; idempotent. Any other call after it throws. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            log.close();
            LOG.info("experience memory {} closed with {} experiences", log.file().getParent(), byId.size());
        }
    }

    /** Line numbers skipped by the load, for tests. */
    synchronized List<Integer> skippedOnLoad() {
        return log.skippedLines();
    }

    /** Lines in the file, for tests. */
    synchronized long fileLines() {
        return log.lines();
    }

    // --- state changes: written first, applied once written -----------------------------------------------

    private void record(Event event) {
        log.append(event);
        apply(event);
    }

    private void apply(Event event) {
        if (event instanceof Remembered r) {
            Experience e = r.experience();
            remove(e.id()); // the same id again replaces the old one, which it outdates
            Shelf shelf = byAgent.computeIfAbsent(e.agent(), a -> new Shelf());
            long seq = r.seq() > 0 ? r.seq() : shelf.lastSeq + 1; // older lines may lack it
            Entry entry = new Entry(e, seq, r.model(), r.vector());
            shelf.entries.put(e.id(), entry);
            shelf.lastSeq = Math.max(shelf.lastSeq, seq);
            byId.put(e.id(), entry);
        } else if (event instanceof Measured m) {
            Entry entry = byId.get(m.id());
            if (entry != null) {
                entry.experience = entry.experience.withOutcome(m.outcome());
            }
        } else if (event instanceof Evicted v) {
            remove(v.id());
        }
    }

    private void remove(String id) {
        Entry old = byId.remove(id);
        if (old != null) {
            byAgent.get(old.experience.agent()).entries.remove(id); // the shelf stays: it numbers the decisions
        }
    }

    private void evictBeyondCapacity(Shelf shelf) {
        while (shelf.entries.size() > capacityPerAgent) {
            record(new Evicted(victim(shelf).experience.id()));
        }
    }

    /** The oldest long-pending experience, else the oldest: see the class comment. */
    private Entry victim(Shelf shelf) {
        Iterator<Entry> it = shelf.entries.values().iterator();
        Entry oldest = it.next();
        for (Entry en = oldest; shelf.lastSeq - en.seq >= pendingHorizon; en = it.next()) {
            if (!en.measured()) {
                return en;
            }
            if (!it.hasNext()) {
                break;
            }
        }
        return oldest;
    }

    private void compactIfLarge() {
        if (log.lines() > 2L * byId.size()) {
            compact();
        }
    }

    private void compact() {
        long before = log.lines();
        List<Remembered> live = new ArrayList<>(byId.size());
        for (Shelf shelf : byAgent.values()) {
            for (Entry en : shelf.entries.values()) {
                live.add(new Remembered(en.experience, en.seq, embedder.name(), en.vector));
            }
        }
        log.rewrite(live);
        LOG.info("experience memory {} compacted: {} lines to {}", log.file().getParent(), before, live.size());
    }

    // --- load ------------------------------------------------------------------------------------------------

    private void load() {
        long t0 = System.nanoTime();
        log.replay(this::apply);
        int reembedded = 0;
        int dimension = -1;
        for (Shelf shelf : byAgent.values()) {
            for (Entry en : shelf.entries.values()) {
                boolean reusable = en.vector != null && embedder.name().equals(en.model)
                        && (dimension < 0 || en.vector.length == dimension);
                if (reusable) {
                    en.vector = unit(en.vector);
                } else {
                    en.vector = unit(embedder.embed(en.experience.situation()));
                    reembedded++;
                }
                dimension = dimension < 0 ? en.vector.length : dimension;
            }
        }
        for (Shelf shelf : byAgent.values()) {
            evictBeyondCapacity(shelf); // the capacity may have been lowered since the file was written
        }
        if (reembedded > 0) {
            compact(); // store the new vectors
        } else {
            compactIfLarge();
        }
        LOG.info("experience memory {} opened: {} experiences of {} agents from {} lines in {} ms "
                        + "({} lines skipped, {} situations re-embedded)", log.file().getParent(), byId.size(),
                byAgent.size(), log.lines(), (System.nanoTime() - t0) / 1_000_000, log.skippedLines().size(),
                reembedded);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("experience memory " + log.file().getParent() + " is closed");
        }
    }

    /** {@code v} scaled to length 1 (a copy: the embedder may reuse its array); a zero vector stays zero. */
    static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            return v.clone();
        }
        float inv = (float) (1 / Math.sqrt(sum));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    /** Cosine similarity of two unit vectors; vectors of different sizes are unrelated (0). */
    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
