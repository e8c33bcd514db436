package dev.edgeweave.testbed.scenario;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where chat prompts come from: the Azure LLM inference trace (testbed/traces/README.md, CC-BY 4.0).
 *
 * <p><b>Time compression.</b> In {@link Mode#REPLAY} the trace's own arrival times are replayed, compressed by
 * {@code c = chatShare × totalRate / traceRate}, where {@code traceRate} is the trace's mean arrival rate
 * (rows − 1) / span (5.53/s for the shipped hour). The factor is derived, not set, so that at load 1.0 chat
 * is exactly its share of the reference rate: capacity is defined in the scenario's class mix, and a fixed
 * factor would break that mix whenever the reference rate changes. {@code --load X} multiplies c by X (the
 * timeline is compressed X times more); the workload reports the factor it used. When the scenario is longer
 * than the compressed trace, the replay loops, the seam one mean gap long.
 *
 * @param mode           {@link Mode#REPLAY} (trace times and tokens) or {@link Mode#RESAMPLE} (seeded Poisson
 *                       arrivals, tokens drawn from the trace's rows)
 * @param traceAsWritten the path as the scenario file wrote it
 * @param trace          the path resolved against the repository root
 * @param randomStart    replay from a seeded offset into the trace (wrapping), so seeds see different hours
 *                       of chat rather than the same one; false replays from the first row
 */
public record ChatSource(Mode mode, String traceAsWritten, Path trace, boolean randomStart) {

    /** The trace shipped beside the repository, relative to the repository root. */
    public static final String DEFAULT_TRACE = "testbed/traces/azure-llm-2023-conv.csv";

    /** How chat arrivals are produced. */
    public enum Mode {
        /** Replay the trace's arrival times (compressed) and its token counts, row by row. */
        REPLAY,
        /** Seeded Poisson arrivals; each prompt's token counts are a row drawn at random from the trace. */
        RESAMPLE
    }

    public ChatSource {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(traceAsWritten, "traceAsWritten");
        Objects.requireNonNull(trace, "trace");
    }
}
