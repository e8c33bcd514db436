package dev.edgeweave.agents.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only JSON-lines file behind {@link EmbeddingExperienceMemory}: one line per event, replayed in
 * order on open, rewritten atomically (temporary file, then move) when compacted. A lock file keeps a second
 * memory, in this JVM or another process, from appending to the same directory.
 *
 * <p>Lines are flushed to the operating system after each event but not forced to disk: a process crash
 * loses nothing, a power cut may lose the last events, and a torn last line is then skipped on the next
 * load. The memory is advice for the brains, not a record of truth, so a sync per decision is not worth it.
 */
final class ExperienceLog implements AutoCloseable {

    static final String FILE_NAME = "experiences.jsonl";
    static final String LOCK_NAME = "experiences.lock";
    private static final String TEMP_NAME = FILE_NAME + ".tmp";

    private static final Logger LOG = LoggerFactory.getLogger(ExperienceLog.class);
    /** Strict about trailing tokens: two events glued on one line are a corrupt line, not the first event. */
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One line of the file. */
    sealed interface Event permits Remembered, Measured, Evicted {
    }

    /**
     * A decision remembered (after compaction: with its outcome folded in).
     *
     * @param seq    its position among its agent's decisions (1, 2, ...), for the pending rule of eviction
     * @param model  the {@link SituationEmbedder#name()} the vector came from
     * @param vector the unit vector of the situation, or null when the line has none or an unreadable one
     */
    record Remembered(Experience experience, long seq, String model, float[] vector) implements Event {
    }

    /** The outcome of decision {@code id} measured. */
    record Measured(String id, String outcome) implements Event {
    }

    /** Decision {@code id} evicted. */
    record Evicted(String id) implements Event {
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Integer> skipped = new ArrayList<>();
    private Writer writer;
    private long lines;

    private ExperienceLog(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating if needed) the log in {@code dir}, holding its lock until {@link #close()}. */
    static ExperienceLog open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK_NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                channel.close();
                throw new IllegalStateException("experience memory " + dir + " is already open in this JVM", e);
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("experience memory " + dir + " is already open by another process");
            }
            Files.deleteIfExists(dir.resolve(TEMP_NAME)); // a compaction cut short: the old file is still whole
            return new ExperienceLog(dir.resolve(FILE_NAME), channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open experience memory " + dir, e);
        }
    }

    Path file() {
        return file;
    }

    /** Lines in the file (blank ones aside), counting the skipped ones: what compaction weighs. */
    long lines() {
        return lines;
    }

    /** 1-based numbers of the lines the last {@link #replay} skipped. */
    List<Integer> skippedLines() {
        return List.copyOf(skipped);
    }

    /**
     * Hands every readable line to {@code sink}, in file order. A line that cannot be read is skipped with a
     * warning naming its number and why; the load goes on.
     */
    void replay(Consumer<Event> sink) {
        lines = 0;
        skipped.clear();
        if (!Files.exists(file)) {
            return;
        }
        try {
            endWithNewline();
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
                int number = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    lines++;
                    Event event;
                    try {
                        event = decode(line);
                    } catch (IllegalArgumentException e) {
                        skipped.add(number);
                        LOG.warn("experience memory {}: line {} skipped: {}", file, number, e.getMessage());
                        continue;
                    }
                    sink.accept(event);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read experience memory " + file, e);
        }
    }

    /** Appends the event and flushes it to the operating system. */
    void append(Event event) {
        String line = encode(event);
        try {
            if (writer == null) {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            writer.write(line);
            writer.write('\n');
            writer.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to experience memory " + file, e);
        }
    }

    /**
     * Replaces the file by {@code live}, one line each: written to a temporary file, forced to disk, then moved
     * over the old one, so a crash leaves either the old file or the new one, never half of either.
     */
    void rewrite(List<Remembered> live) {
        Path temp = file.resolveSibling(TEMP_NAME);
        try {
            closeWriter();
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 Writer w = Channels.newWriter(out, StandardCharsets.UTF_8)) {
                for (Remembered r : live) {
                    w.write(encode(r));
                    w.write('\n');
                }
                w.flush();
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            lines = live.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact experience memory " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            closeWriter();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close experience memory " + file, e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("experience memory {}: lock not released cleanly: {}", file, e.toString());
            }
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            Writer w = writer;
            writer = null;
            w.close();
        }
    }

    /** A torn last line (crash mid-write) must not swallow the next appended one. */
    private void endWithNewline() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) != '\n') {
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            }
        }
    }

    // --- one line of JSON per event -------------------------------------------------------------------------

    static String encode(Event event) {
        ObjectNode n = JSON.createObjectNode();
        if (event instanceof Remembered r) {
            Experience e = r.experience();
            n.put("op", "remember").put("seq", r.seq()).put("id", e.id()).put("agent", e.agent())
                    .put("at", e.at()).put("situation", e.situation()).put("decision", e.decision())
                    .put("outcome", e.outcome());
            if (r.vector() != null) {
                n.put("model", r.model()).put("vector", encodeVector(r.vector()));
            }
        } else if (event instanceof Measured m) {
            n.put("op", "outcome").put("id", m.id()).put("outcome", m.outcome());
        } else if (event instanceof Evicted v) {
            n.put("op", "evict").put("id", v.id());
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an experience as JSON", e);
        }
    }

    /** The event of one line; {@link IllegalArgumentException} saying what is wrong with it. */
    static Event decode(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String op = text(n, "op");
        return switch (op) {
            case "remember" -> {
                Experience e = new Experience(text(n, "id"), text(n, "agent"), number(n, "at"),
                        text(n, "situation"), text(n, "decision"), n.has("outcome") ? text(n, "outcome") : "");
                long seq = n.has("seq") ? (long) number(n, "seq") : 0;
                String model = n.path("model").isTextual() ? n.get("model").textValue() : null;
                float[] vector = null;
                if (model != null && n.path("vector").isTextual()) {
                    vector = decodeVector(n.get("vector").textValue()); // unreadable: null, re-embedded
                }
                yield new Remembered(e, seq, model, vector);
            }
            case "outcome" -> new Measured(text(n, "id"), text(n, "outcome"));
            case "evict" -> new Evicted(text(n, "id"));
            default -> throw new IllegalArgumentException("unknown op '" + op + "'");
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' missing or not a string");
        }
        return v.textValue();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null && v.isNumber()) {
            return v.doubleValue();
        }
        if (v != null && v.isTextual()) { // Jackson writes NaN and infinities as strings
            try {
                return Double.parseDouble(v.textValue());
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("field '" + field + "' missing or not a number");
    }

    /** Little-endian float32, base64: 2 KB a line for 384 dimensions, a quarter of the decimal text. */
    static String encodeVector(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decodeVector(String s) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            return null;
        }
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
