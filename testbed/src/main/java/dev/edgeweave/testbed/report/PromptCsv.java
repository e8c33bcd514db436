package dev.edgeweave.testbed.report;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.testbed.engine.RunResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one run's prompts as CSV (RFC 4180, {@code \n} line ends), one row per prompt in arrival order:
 *
 * <pre>policy,seed,prompt,arrivalS,class,model,user,accessPoint,server,attempts,outcome,latencyS,slowdown,sloS,withinSlo</pre>
 *
 * <p>{@code prompt} is the index in arrival order; {@code server} is the serving server's id, empty when
 * rejected; {@code outcome} is {@code completed}, {@code rejected}, or {@code lost} for a prompt with no
 * terminal record; {@code latencyS} counts a rejection at its SLO, as the engine records it, and is empty
 * (with {@code slowdown}) for a lost prompt, which has none; {@code withinSlo}
 * is {@code completed && latency ≤ slo}. Times are in seconds with 6 decimals (microseconds), slowdown with 4.
 *
 * <p>Built for a million rows: every id is escaped once up front, numbers are appended digit by digit into
 * one reused buffer, no {@code String.format} per row.
 */
public final class PromptCsv {

    public static final String HEADER = "policy,seed,prompt,arrivalS,class,model,user,accessPoint,server,attempts,"
            + "outcome,latencyS,slowdown,sloS,withinSlo";

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private PromptCsv() {
    }

    /**
     * Writes {@code r} to {@code file}, replacing it.
     *
     * @param modelIds     model ids by model index
     * @param classOfModel each model's class by model index
     * @param serverIds    server ids by server index
     */
    public static void write(Path file, RunResult r, List<String> modelIds, List<ModelClass> classOfModel,
                             List<String> serverIds) throws IOException {
        String policy = escape(r.policy());
        String[] models = modelIds.stream().map(PromptCsv::escape).toArray(String[]::new);
        String[] classes = classOfModel.stream().map(ModelClass::name).toArray(String[]::new);
        String[] servers = serverIds.stream().map(PromptCsv::escape).toArray(String[]::new);
        if (models.length != classes.length) {
            throw new IllegalArgumentException("modelIds and classOfModel differ in length: " + models.length
                    + " vs " + classes.length);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        StringBuilder row = new StringBuilder(256);
        try (BufferedWriter out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                1 << 20)) {
            out.write(HEADER);
            out.write('\n');
            for (int i = 0; i < r.size(); i++) {
                row.setLength(0);
                int m = r.model()[i];
                int s = r.server()[i];
                boolean hasOutcome = r.terminalRecords()[i] > 0;
                boolean completed = hasOutcome && r.completed()[i];
                row.append(policy).append(',')
                        .append(r.seed()).append(',')
                        .append(i).append(',');
                fixed(row, r.arrival()[i], 6).append(',')
                        .append(classes[m]).append(',')
                        .append(models[m]).append(',')
                        .append(r.user()[i]).append(',')
                        .append(r.accessPoint()[i]).append(',');
                if (s >= 0) {
                    row.append(servers[s]);
                }
                row.append(',').append(r.attempts()[i]).append(',')
                        .append(!hasOutcome ? "lost" : completed ? "completed" : "rejected").append(',');
                if (hasOutcome) {
                    fixed(row, r.latency()[i], 6).append(',');
                    fixed(row, r.slowdown()[i], 4).append(',');
                } else {
                    row.append(",,");
                }
                fixed(row, r.slo()[i], 6).append(',')
                        .append(completed && r.latency()[i] <= r.slo()[i]).append('\n');
                out.append(row);
            }
        }
    }

    /**
     * Appends {@code v} rounded half-up to {@code decimals} places, trailing zeros dropped ({@code 1.5},
     * {@code 2}); a value beyond the fast path's range, or not finite, goes through {@link Double#toString}.
     */
    static StringBuilder fixed(StringBuilder sb, double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= 1e12) {
            return sb.append(v);
        }
        long scale = POW10[decimals];
        long scaled = Math.round(Math.abs(v) * scale);
        if (scaled == 0) {
            return sb.append('0');
        }
        if (v < 0) {
            sb.append('-');
        }
        sb.append(scaled / scale);
        long fraction = scaled % scale;
        if (fraction != 0) {
            int digits = decimals;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            sb.append('.');
            for (long p = POW10[digits - 1]; p > fraction; p /= 10) {
                sb.append('0');
            }
            sb.append(fraction);
        }
        return sb;
    }

    /** A CSV field: quoted when it holds a comma, quote or line break. */
    static String escape(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
