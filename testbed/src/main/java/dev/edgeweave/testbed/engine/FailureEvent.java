package dev.edgeweave.testbed.engine;

import java.util.Objects;

/**
 * A server failure at a city time: {@code --fail NODE@S} or {@code --fail NODE@S+D} (back up after D
 * seconds). NODE is a server id, or {@code busiest}: the server with the most prompts in flight at that time.
 *
 * @param node            server id or {@link #BUSIEST}
 * @param atSeconds       city seconds after the workload's start
 * @param downForSeconds  how long it stays down; infinite when it does not come back
 */
public record FailureEvent(String node, double atSeconds, double downForSeconds) {

    public static final String BUSIEST = "busiest";

    public FailureEvent {
        Objects.requireNonNull(node, "node");
        if (!(atSeconds >= 0) || Double.isInfinite(atSeconds)) {
            throw new IllegalArgumentException("failure time must be finite and >= 0, was " + atSeconds);
        }
        if (!(downForSeconds > 0)) {
            throw new IllegalArgumentException("down time must be > 0, was " + downForSeconds);
        }
    }

    /**
     * Parses {@code NODE@S} or {@code NODE@S+D}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static FailureEvent parse(String spec) {
        int at = spec == null ? -1 : spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new IllegalArgumentException("--fail takes NODE@SECONDS or NODE@SECONDS+DOWN, e.g. edge-3@900 or "
                    + "busiest@900+300; got '" + spec + "'");
        }
        String node = spec.substring(0, at);
        String time = spec.substring(at + 1);
        double down = Double.POSITIVE_INFINITY;
        int plus = time.indexOf('+');
        try {
            if (plus >= 0) {
                down = Double.parseDouble(time.substring(plus + 1));
                time = time.substring(0, plus);
            }
            return new FailureEvent(node, Double.parseDouble(time), down);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fail '" + spec + "': the time is not a number", e);
        }
    }
}
