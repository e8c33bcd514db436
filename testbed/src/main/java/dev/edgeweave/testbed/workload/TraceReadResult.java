package dev.edgeweave.testbed.workload;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The rows of a trace that could be used, as primitive arrays in file order, and an account of those that
 * could not. Immutable: the accessors for whole arrays return copies; the indexed ones do not allocate.
 */
public final class TraceReadResult {

    private final Path file;
    private final LocalDateTime firstTimestamp;
    private final double[] offsets;
    private final int[] contextTokens;
    private final int[] generatedTokens;
    private final int skipped;
    private final int clampedBackwards;
    private final List<String> problems;

    TraceReadResult(Path file, LocalDateTime firstTimestamp, double[] offsets, int[] contextTokens,
                    int[] generatedTokens, int skipped, int clampedBackwards, List<String> problems) {
        this.file = Objects.requireNonNull(file, "file");
        this.firstTimestamp = Objects.requireNonNull(firstTimestamp, "firstTimestamp");
        this.offsets = offsets;
        this.contextTokens = contextTokens;
        this.generatedTokens = generatedTokens;
        this.skipped = skipped;
        this.clampedBackwards = clampedBackwards;
        this.problems = List.copyOf(problems);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Timestamp of the first valid row (offset 0). */
    public LocalDateTime firstTimestamp() {
        return firstTimestamp;
    }

    /** Valid rows read. */
    public int rows() {
        return offsets.length;
    }

    /** Seconds from the first valid row to row {@code i}; non-decreasing in i. */
    public double offsetSeconds(int i) {
        return offsets[i];
    }

    /** Prompt tokens of row {@code i}. */
    public int contextTokens(int i) {
        return contextTokens[i];
    }

    /** Output tokens of row {@code i}. */
    public int generatedTokens(int i) {
        return generatedTokens[i];
    }

    /** A copy of every offset. */
    public double[] offsetsSeconds() {
        return offsets.clone();
    }

    /** A copy of every prompt-token count. */
    public int[] contextTokens() {
        return contextTokens.clone();
    }

    /** A copy of every output-token count. */
    public int[] generatedTokens() {
        return generatedTokens.clone();
    }

    /** Malformed rows counted and skipped. */
    public int skipped() {
        return skipped;
    }

    /**
     * Rows whose timestamp was earlier than one before it, but within the reader's tolerance: kept, with their
     * offset raised to the latest so far so offsets stay sorted (logging jitter, not a broken file).
     */
    public int clampedBackwards() {
        return clampedBackwards;
    }

    /** The first few problems, each naming the file, line and field; at most {@link AzureTraceReader#MAX_MESSAGES}. */
    public List<String> problems() {
        return problems;
    }

    /** Seconds from the first to the last row. */
    public double spanSeconds() {
        return offsets[offsets.length - 1];
    }

    /**
     * Mean arrival rate, (rows − 1) / span: the rate of the trace's inter-arrival process (5.53/s for the
     * shipped Azure hour, whose rows span 3,502 s). NaN for a one-row trace.
     */
    public double meanRatePerSecond() {
        return offsets.length < 2 || spanSeconds() <= 0 ? Double.NaN : (offsets.length - 1) / spanSeconds();
    }

    // Package-private, no copy: for the generator, which only reads them.
    double[] offsetsArray() {
        return offsets;
    }

    int[] contextArray() {
        return contextTokens;
    }

    int[] generatedArray() {
        return generatedTokens;
    }

    @Override
    public String toString() {
        return "TraceReadResult[" + file + ": " + rows() + " rows over " + spanSeconds() + " s, skipped " + skipped
                + (problems.isEmpty() ? "" : ", first: " + problems.get(0)) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceReadResult t && file.equals(t.file) && skipped == t.skipped
                && Arrays.equals(offsets, t.offsets) && Arrays.equals(contextTokens, t.contextTokens)
                && Arrays.equals(generatedTokens, t.generatedTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, skipped, Arrays.hashCode(offsets));
    }
}
