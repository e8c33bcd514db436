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
 *       and data (only a broker the lab started).</li>
 * </ul>
 *
 * @param kind      what fails
 * @param target    the server for the node faults, null otherwise
 * @param atSeconds city seconds after the replay's start
 */
public record Fault(Kind kind, String target, double atSeconds) {

    /** What a fault does. */
    public enum Kind {
        KILL_NODE, RESTART_NODE, RESTART_SCHEDULER, RESTART_PLANNER, RESTART_BROKER;

        /** Its name in a plan: {@code kill-node}. */
        public String planName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean takesNode() {
            return this == KILL_NODE || this == RESTART_NODE;
        }
    }

    public static final String BUSIEST = "busiest";
    public static final String KILLED = "killed";

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (!(atSeconds >= 0) || Double.isInfinite(atSeconds)) {
            throw new IllegalArgumentException("a fault's time must be finite and >= 0, was " + atSeconds);
        }
        if (kind.takesNode() == (target == null)) {
            throw new IllegalArgumentException(kind.planName() + (kind.takesNode() ? " needs a server: "
                    + kind.planName() + ":<id>@S" : " takes no server"));
        }
    }

    /** As a plan writes it: {@code kill-node:edge-3@900}. */
    public String spec() {
        String at = atSeconds == Math.rint(atSeconds) ? Long.toString((long) atSeconds) : Double.toString(atSeconds);
        return kind.planName() + (target == null ? "" : ":" + target) + "@" + at;
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
            throw new IllegalArgumentException("'" + s + "': a fault is KIND[:SERVER]@SECONDS, e.g. kill-node:busiest@600"
                    + " or restart-planner@1200");
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
        double seconds;
        try {
            seconds = Double.parseDouble(s.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "': the time after '@' is not a number", e);
        }
        try {
            return new Fault(kind, target, seconds);
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
