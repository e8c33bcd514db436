package dev.edgeweave.testbed.scenario;

import dev.edgeweave.testbed.scenario.YamlTree.Arr;
import dev.edgeweave.testbed.scenario.YamlTree.Node;
import dev.edgeweave.testbed.scenario.YamlTree.Obj;
import dev.edgeweave.testbed.scenario.YamlTree.Scalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed reads from a {@link YamlTree} that record a located {@link ScenarioException.Problem} instead of
 * throwing, so the loader can report every problem of a file at once. A read that fails returns
 * {@code null}; the caller skips checks that depend on it.
 */
final class Checker {

    private final String source;
    private final List<ScenarioException.Problem> problems = new ArrayList<>();

    Checker(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
    }

    // ---- reporting ---------------------------------------------------------------------------------------

    /** A problem with {@code node} itself. */
    void error(Node node, String message) {
        problems.add(new ScenarioException.Problem(source, node.loc().line(), node.loc().column(), node.path(), message));
    }

    /** A problem with a field of {@code parent} that is absent: located at the parent, named by the field's path. */
    void error(Obj parent, String field, String message) {
        problems.add(new ScenarioException.Problem(source, parent.loc().line(), parent.loc().column(),
                parent.child(field), message));
    }

    private void missing(Obj parent, String field, String what) {
        error(parent, field, "missing required field '" + field + "'" + (what.isEmpty() ? "" : " (" + what + ")"));
    }

    // ---- structure ---------------------------------------------------------------------------------------

    /** {@code node} as a mapping, or null with a problem. */
    Obj obj(Node node) {
        if (node instanceof Obj o) {
            return o;
        }
        error(node, "expected a mapping (key: value lines), found " + node.kind());
        return null;
    }

    /** Records a problem for each key of {@code o} not in {@code allowed} (a typo is an error, not ignored). */
    void allowOnly(Obj o, String... allowed) {
        Set<String> known = new LinkedHashSet<>(Arrays.asList(allowed));
        for (var e : o.fields().entrySet()) {
            if (!known.contains(e.getKey())) {
                error(e.getValue(), "unknown field '" + e.getKey() + "'; known fields here: " + known);
            }
        }
    }

    /** A present, non-null child, or null (with a problem when {@code required}). */
    Node child(Obj o, String field, boolean required, String what) {
        Node n = o.get(field);
        if (n == null || (n instanceof Scalar s && s.isNull())) {
            if (required) {
                missing(o, field, what);
            }
            return null;
        }
        return n;
    }

    Obj obj(Obj o, String field, boolean required) {
        Node n = child(o, field, required, "a mapping");
        return n == null ? null : obj(n);
    }

    /** A list child; absent and not required gives an empty list. */
    List<Node> list(Obj o, String field, boolean required) {
        Node n = child(o, field, required, "a list");
        if (n == null) {
            return required ? null : List.of();
        }
        if (n instanceof Arr a) {
            return a.items();
        }
        error(n, "expected a list, found " + n.kind());
        return null;
    }

    // ---- scalars -----------------------------------------------------------------------------------------

    String string(Obj o, String field, boolean required) {
        Node n = child(o, field, required, "text");
        return n == null ? null : string(n);
    }

    String string(Node n) {
        if (n instanceof Scalar s && !s.isNull()) {
            if (s.text().isBlank()) {
                error(n, "must not be blank");
                return null;
            }
            return s.text();
        }
        error(n, "expected text, found " + n.kind());
        return null;
    }

    /** A number; YAML-style digit separators ({@code 1_000_000}) are accepted. */
    Double number(Obj o, String field, boolean required) {
        Node n = child(o, field, required, "a number");
        return n == null ? null : number(n);
    }

    Double number(Node n) {
        if (n instanceof Scalar s && !s.isNull() && s.token() != com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                && s.token() != com.fasterxml.jackson.core.JsonToken.VALUE_FALSE) {
            try {
                double v = Double.parseDouble(s.text().replace("_", "").trim());
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below: the text is not a number
            }
        }
        error(n, "expected a number, found " + n.kind());
        return null;
    }

    /** A number {@code >= min} (inclusive) or null with a problem. */
    Double atLeast(Obj o, String field, boolean required, double min) {
        Double v = number(o, field, required);
        if (v != null && v < min) {
            error(o.get(field), field + " must be >= " + fmt(min) + ", was " + fmt(v));
            return null;
        }
        return v;
    }

    /** A number {@code > min} (exclusive) or null with a problem. */
    Double above(Obj o, String field, boolean required, double min) {
        Double v = number(o, field, required);
        if (v != null && !(v > min)) {
            error(o.get(field), field + " must be > " + fmt(min) + ", was " + fmt(v));
            return null;
        }
        return v;
    }

    /** A whole number in {@code [min, max]} or null with a problem. */
    Long integer(Obj o, String field, boolean required, long min, long max) {
        Node n = child(o, field, required, "a whole number");
        return n == null ? null : integer(n, min, max);
    }

    Long integer(Node n, long min, long max) {
        Double v = number(n);
        if (v == null) {
            return null;
        }
        if (v != Math.rint(v) || Math.abs(v) > 9e15) {
            error(n, "expected a whole number, found " + fmt(v));
            return null;
        }
        long l = v.longValue();
        if (l < min || l > max) {
            error(n, "must be in [" + min + ", " + max + "], was " + l);
            return null;
        }
        return l;
    }

    Boolean bool(Obj o, String field, boolean required) {
        Node n = child(o, field, required, "true or false");
        if (n == null) {
            return null;
        }
        if (n instanceof Scalar s && (s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                || s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
            return s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
        }
        error(n, "expected true or false, found " + n.kind());
        return null;
    }

    <E extends Enum<E>> E enumValue(Node n, Class<E> type) {
        String text = string(n);
        if (text == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        error(n, "unknown " + type.getSimpleName() + " '" + text + "'; known: " + Arrays.toString(type.getEnumConstants()));
        return null;
    }

    <E extends Enum<E>> E enumValue(Obj o, String field, boolean required, Class<E> type) {
        Node n = child(o, field, required, type.getSimpleName());
        return n == null ? null : enumValue(n, type);
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
