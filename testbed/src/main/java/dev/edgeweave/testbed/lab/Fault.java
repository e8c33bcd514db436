package dev.edgeweave.testbed.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One timed fault of a lab's chaos plan ({@code --chaos PLAN}), at a city second of the replay:
 * <ul>
 *   <li>{@code kill-node:<id|busiest>@S} — a server's connector stops at once, as a crash (busiest: the one with
 *       the most prompts in flight then);</li>
 *   <li>{@code restart-node:<id|killed>@S} — a server's connector is started again (killed first when it runs;
 *       {@code killed}: the server the last {@code kill-node} took down);</li>
 *   <li>{@code restart-scheduler@S} — the scheduler stops at once and starts again from its state and the
 *       topics (exactly-once: the open transaction is aborted);</li>
 *   <li>{@code restart-planner@S} — the planner's Flink job is cancelled and started again from its last
 *       checkpoint;</li>
 *   <li>{@code restart-broker@S} — the Kafka broker process stops (SIGTERM) and starts again on the same ports
 *       and data (only a broker the lab started);</li>
 *   <li>{@code llm-down@S..E}, {@code llm-garbage@S..E}, {@code llm-slow@S..E} — from S to E the language model
 *       behind the agents refuses connections, answers with what is not the JSON asked for, or answers only after
 *       the agents' timeout ({@link ScriptedLlm}; a plan with one of these runs the short-term and long-term
 *       agents on their LLM brains);</li>
 *   <li>{@code partition-link:<ap>/<node>@S..E} — from S to E the emulated link from access point {@code ap} to
 *       server {@code node} is cut: the server's connector reports it down in its network telemetry, and the
 *       scheduler routes no prompt from that access point to that server until it is back.</li>
 * </ul>
 *
 * @param kind         what fails
 * @param target       the server for the node faults, {@code <ap>/<node>} for a link, null otherwise
 * @param atSeconds    city seconds after the replay's start
 * @param untilSeconds when a fault with a span ends (city seconds after the replay's start), NaN for the others
 */
public record Fault(Kind kind, String target, double atSeconds, double untilSeconds) {

    /** What a fault does. */
    public enum Kind {
        KILL_NODE, RESTART_NODE, RESTART_SCHEDULER, RESTART_PLANNER, RESTART_BROKER, LLM_DOWN, LLM_GARBAGE, LLM_SLOW,
        PARTITION_LINK;

        /** Its name in a plan: {@code kill-node}. */
        public String planName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether it names a target: a server, or a link for {@link #PARTITION_LINK}. */
        boolean takesTarget() {
            return this == KILL_NODE || this == RESTART_NODE || this == PARTITION_LINK;
        }

        /** Whether it lasts from S to E ({@code @S..E}) rather than happening at one instant. */
        public boolean hasSpan() {
            return isLlm() || this == PARTITION_LINK;
        }

        /** Whether it fails the language model behind the agents. */
        public boolean isLlm() {
            return this == LLM_DOWN || this == LLM_GARBAGE || this == LLM_SLOW;
        }
    }

    public static final String BUSIEST = "busiest";
    public static final String KILLED = "killed";

    /** A fault at one instant. */
    public Fault(Kind kind, String target, double atSeconds) {
        this(kind, target, atSeconds, Double.NaN);
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (!(atSeconds >= 0) || Double.isInfinite(atSeconds)) {
            throw new IllegalArgumentException("a fault's time must be finite and >= 0, was " + atSeconds);
        }
        if (kind.hasSpan() && !(untilSeconds > atSeconds && Double.isFinite(untilSeconds))) {
            throw new IllegalArgumentException(kind.planName() + " lasts from S to E (" + kind.planName()
                    + "@S..E, E > S), was " + (Double.isNaN(untilSeconds) ? "no end" : "until " + untilSeconds));
        }
        if (!kind.hasSpan() && !Double.isNaN(untilSeconds)) {
            throw new IllegalArgumentException(kind.planName() + " happens at one instant (@S), not over a span");
        }
        if (kind.takesTarget() == (target == null)) {
            throw new IllegalArgumentException(kind.planName() + (kind == Kind.PARTITION_LINK
                    ? " needs a link: partition-link:<ap>/<node>@S..E" : kind.takesTarget() ? " needs a server: "
                    + kind.planName() + ":<id>@S" : " takes no server"));
        }
        if (kind == Kind.PARTITION_LINK && !target.matches("[^/]+/[^/]+")) {
            throw new IllegalArgumentException("partition-link needs a link <ap>/<node>, was '" + target + "'");
        }
    }

    /** As a plan writes it: {@code kill-node:edge-3@900}, {@code llm-down@900..1020}. */
    public String spec() {
        return kind.planName() + (target == null ? "" : ":" + target) + "@" + seconds(atSeconds)
                + (Double.isNaN(untilSeconds) ? "" : ".." + seconds(untilSeconds));
    }

    /** The access point of a {@code partition-link}. */
    public String accessPoint() {
        return target.substring(0, target.indexOf('/'));
    }

    /** The server of a {@code partition-link}. */
    public String linkNode() {
        return target.substring(target.indexOf('/') + 1);
    }

    /** When it ends: {@link #untilSeconds} for a fault with a span, else {@link #atSeconds}. */
    public double endSeconds() {
        return Double.isNaN(untilSeconds) ? atSeconds : untilSeconds;
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    /**
     * Parses one fault, e.g. {@code kill-node:busiest@600} or {@code restart-planner@1200}.
     *
     * @throws IllegalArgumentException naming what is wrong and what is allowed
     */
    public static Fault parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            throw new IllegalArgumentException("'" + s + "': a fault is KIND[:SERVER]@SECONDS or KIND@FROM..UNTIL, e.g. "
                    + "kill-node:busiest@600, restart-planner@1200 or llm-down@900..1020");
        }
        String head = s.substring(0, at);
        int colon = head.indexOf(':');
        String name = colon < 0 ? head : head.substring(0, colon);
        String target = colon < 0 ? null : head.substring(colon + 1);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.planName().equals(name)) {
                kind = k;
            }
        }
        if (kind == null) {
            List<String> known = new ArrayList<>();
            for (Kind k : Kind.values()) {
                known.add(k.planName());
            }
            throw new IllegalArgumentException("'" + s + "': unknown fault '" + name + "'; the lab injects " + known);
        }
        if (target != null && target.isEmpty()) {
            throw new IllegalArgumentException("'" + s + "': the server after ':' is empty");
        }
        String time = s.substring(at + 1);
        int dots = time.indexOf("..");
        double seconds;
        double until = Double.NaN;
        try {
            seconds = Double.parseDouble(dots < 0 ? time : time.substring(0, dots));
            if (dots >= 0) {
                until = Double.parseDouble(time.substring(dots + 2));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "': the time after '@' is not " + (dots < 0 ? "a number"
                    : "FROM..UNTIL in seconds"), e);
        }
        try {
            return new Fault(kind, target, seconds, until);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads a plan: one fault per line, {@code #} to the end of a line is a comment, blank lines are skipped.
     * The faults come back in time order.
     *
     * @throws IllegalArgumentException naming the file and line of a fault that does not parse
     */
    public static List<Fault> readPlan(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--chaos " + file + ": no such file");
        }
        List<Fault> faults = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (text.isEmpty()) {
                continue;
            }
            try {
                faults.add(parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
            }
        }
        faults.sort(Comparator.comparingDouble(Fault::atSeconds));
        return faults;
    }
}
