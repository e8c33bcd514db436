package dev.edgeweave.testbed.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the Azure LLM inference trace format ({@code testbed/traces/README.md}, CC-BY 4.0): a header
 * {@code TIMESTAMP,ContextTokens,GeneratedTokens}, then one request a row, e.g.
 * {@code 2023-11-16 18:15:46.6805900,374,44}.
 *
 * <p><b>Malformed rows are counted and skipped, never silently.</b> A row is malformed when it has other than
 * three columns, a timestamp that is not {@code yyyy-MM-dd HH:mm:ss[.fraction]} (or not a real date), a token
 * count that is not a whole number ≥ 0, or a timestamp more than the tolerance earlier than the latest before
 * it. The result carries the count and the first {@value #MAX_MESSAGES} messages (file, line, field), and one
 * WARNING line is logged. A row earlier by at most the tolerance is kept with its offset raised to the latest so
 * far (counted apart), since logging jitter of a few milliseconds is not a broken file. A file that is missing,
 * empty, has the wrong header or no valid row is a {@link TraceException}.
 *
 * <p>Parsing is by hand (no regex, no {@code DateTimeFormatter} per row): the 19,366-row trace reads in a few
 * milliseconds.
 */
public final class AzureTraceReader {

    /** The header the format has (compared ignoring case and spaces). */
    public static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";

    /** How far a timestamp may go back before its row is malformed. */
    public static final double DEFAULT_BACKWARDS_TOLERANCE_SECONDS = 1.0;

    /** Problem messages kept in a {@link TraceReadResult}. */
    public static final int MAX_MESSAGES = 10;

    private static final System.Logger LOG = System.getLogger(AzureTraceReader.class.getName());
    private static final long NANOS = 1_000_000_000L;
    private static final long INVALID = Long.MIN_VALUE;

    private AzureTraceReader() {
    }

    /** The trace in {@code file}, with the default backwards tolerance. */
    public static TraceReadResult read(Path file) {
        return read(file, DEFAULT_BACKWARDS_TOLERANCE_SECONDS);
    }

    /** The trace in {@code file}; rows going back more than {@code backwardsToleranceSeconds} are malformed. */
    public static TraceReadResult read(Path file, double backwardsToleranceSeconds) {
        if (!(backwardsToleranceSeconds >= 0)) {
            throw new IllegalArgumentException("backwardsToleranceSeconds must be >= 0, was " + backwardsToleranceSeconds);
        }
        if (!Files.exists(file)) {
            throw new TraceException("trace file not found: " + file.toAbsolutePath()
                    + " (give another with --trace FILE, or set workload.chat.trace in the scenario)");
        }
        if (!Files.isRegularFile(file)) {
            throw new TraceException("trace path is not a file: " + file.toAbsolutePath());
        }
        long toleranceNanos = Math.round(backwardsToleranceSeconds * NANOS);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new TraceException("trace file is empty: " + file);
            }
            String normalised = header.replace("\uFEFF", "").replace(" ", "").trim();
            if (!normalised.equalsIgnoreCase(HEADER)) {
                throw new TraceException(file + ":1: expected the header '" + HEADER + "', found '" + header + "'");
            }
            Rows rows = new Rows();
            List<String> problems = new ArrayList<>();
            int skipped = 0;
            int clamped = 0;
            long base = INVALID;
            long latest = INVALID;
            LocalDateTime first = null;
            DateCache dates = new DateCache();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String problem = null;
                int c1 = line.indexOf(',');
                int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
                int c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
                long t = INVALID;
                int context = -1;
                int generated = -1;
                if (line.isBlank()) {
                    problem = "row: empty row";
                } else if (c1 < 0 || c2 < 0 || c3 >= 0) {
                    problem = "row: expected 3 columns, found " + columns(line);
                } else {
                    String ts = line.substring(0, c1).trim();
                    t = parseTimestampNanos(ts, dates);
                    if (t == INVALID) {
                        problem = "TIMESTAMP: not a timestamp yyyy-MM-dd HH:mm:ss[.fraction]: '" + ts + "'";
                    } else {
                        context = parseCount(line, c1 + 1, c2);
                        generated = parseCount(line, c2 + 1, line.length());
                        if (context < 0) {
                            problem = "ContextTokens: " + countProblem(line.substring(c1 + 1, c2).trim());
                        } else if (generated < 0) {
                            problem = "GeneratedTokens: " + countProblem(line.substring(c2 + 1).trim());
                        } else if (latest != INVALID && t < latest - toleranceNanos) {
                            problem = String.format(java.util.Locale.ROOT,
                                    "TIMESTAMP: goes back %.3f s (more than the %.3f s tolerance): '%s'",
                                    (latest - t) / 1e9, backwardsToleranceSeconds, ts);
                        }
                    }
                }
                if (problem != null) {
                    skipped++;
                    if (problems.size() < MAX_MESSAGES) {
                        problems.add(file + ":" + lineNo + ": " + problem);
                    }
                    continue;
                }
                if (base == INVALID) {
                    base = t;
                    latest = t;
                    first = LocalDateTime.ofEpochSecond(Math.floorDiv(t, NANOS), (int) Math.floorMod(t, NANOS),
                            ZoneOffset.UTC);
                }
                if (t < latest) {
                    clamped++;
                    t = latest;
                }
                latest = t;
                rows.add((t - base) / 1e9, context, generated);
            }
            if (rows.size == 0) {
                throw new TraceException("no valid rows in trace " + file + " (" + skipped + " malformed"
                        + (problems.isEmpty() ? "" : "; first: " + problems.get(0)) + ")");
            }
            if (skipped > 0) {
                LOG.log(System.Logger.Level.WARNING, "trace {0}: skipped {1} malformed row(s) of {2}; first: {3}",
                        file, skipped, rows.size + skipped, problems.get(0));
            }
            return new TraceReadResult(file, first, Arrays.copyOf(rows.offsets, rows.size),
                    Arrays.copyOf(rows.context, rows.size), Arrays.copyOf(rows.generated, rows.size),
                    skipped, clamped, problems);
        } catch (IOException e) {
            throw new TraceException("cannot read trace " + file + ": " + e, e);
        }
    }

    private static int columns(String line) {
        int n = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    /** A whole number ≥ 0 in {@code s[from, to)} (spaces around allowed), or −1. */
    static int parseCount(String s, int from, int to) {
        while (from < to && s.charAt(from) == ' ') {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\r')) {
            to--;
        }
        if (from == to || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static String countProblem(String text) {
        if (text.startsWith("-")) {
            return "negative token count '" + text + "'";
        }
        return "not a whole number of tokens: '" + text + "'";
    }

    /** One-entry cache: rows of a trace share their date, so the calendar arithmetic runs once a day. */
    private static final class DateCache {
        int year = -1;
        int month;
        int day;
        long epochDay;
    }

    /**
     * Nanoseconds since 1970 (UTC, the trace's zone is not given and does not matter for offsets) of
     * {@code yyyy-MM-dd HH:mm:ss[.f…]} (a 'T' separator is accepted too; up to 9 fraction digits), or
     * {@link #INVALID}.
     */
    static long parseTimestampNanos(String s, DateCache cache) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return INVALID;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 1970 || year > 2200 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return INVALID;
        }
        long fraction = 0;
        if (n > 19) {
            if (s.charAt(19) != '.' || n == 20 || n > 29) {
                return INVALID;
            }
            int f = digits(s, 20, n);
            if (f < 0) {
                return INVALID;
            }
            fraction = f;
            for (int i = n - 20; i < 9; i++) {
                fraction *= 10;
            }
        }
        if (cache == null) {
            cache = new DateCache();
        }
        if (year != cache.year || month != cache.month || day != cache.day) {
            try {
                cache.epochDay = LocalDate.of(year, month, day).toEpochDay();
            } catch (DateTimeException e) {
                return INVALID;  // e.g. 2023-02-30: reported by the caller as a bad timestamp
            }
            cache.year = year;
            cache.month = month;
            cache.day = day;
        }
        long seconds = cache.epochDay * 86_400L + hour * 3600L + minute * 60L + second;
        return seconds * NANOS + fraction;
    }

    /** The non-negative number in {@code s[from, to)} (all digits, at most 9), or −1. */
    private static int digits(String s, int from, int to) {
        if (to - from > 9 || to <= from) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** Growable parallel arrays. */
    private static final class Rows {
        double[] offsets = new double[1 << 15];
        int[] context = new int[1 << 15];
        int[] generated = new int[1 << 15];
        int size;

        void add(double offset, int c, int g) {
            if (size == offsets.length) {
                int cap = size * 2;
                offsets = Arrays.copyOf(offsets, cap);
                context = Arrays.copyOf(context, cap);
                generated = Arrays.copyOf(generated, cap);
            }
            offsets[size] = offset;
            context[size] = c;
            generated[size] = g;
            size++;
        }
    }
}
