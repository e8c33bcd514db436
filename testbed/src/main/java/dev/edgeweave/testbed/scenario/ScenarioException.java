package dev.edgeweave.testbed.scenario;

import java.util.List;
import java.util.Objects;

/**
 * A scenario file that cannot be used, with every problem found: each names the file, the line and column,
 * and the field (a path such as {@code city.servers[2].gpus[0]}), so a reader can go straight to it.
 *
 * <p>The loader collects all problems of a file before throwing, rather than stopping at the first, so one
 * run shows everything to fix. {@link #getMessage()} lists them one a line.
 */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem of a scenario file.
     *
     * @param source  the file (or resource) name
     * @param line    1-based line, 0 when unknown
     * @param column  1-based column, 0 when unknown
     * @param field   the field's path in the file, e.g. {@code workload.classes.CHAT.share}; empty for syntax errors
     * @param message what is wrong and, where it helps, what would be right
     */
    public record Problem(String source, int line, int column, String field, String message) {

        public Problem {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }

        /** {@code file:line:column: field: message}, the shape compilers use, so editors can jump to it. */
        @Override
        public String toString() {
            return source + ":" + line + ":" + column + ": " + (field.isEmpty() ? "" : field + ": ") + message;
        }
    }

    private final transient List<Problem> problems;

    public ScenarioException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    ScenarioException(Problem problem, Throwable cause) {
        super(render(List.of(problem)), cause);
        this.problems = List.of(problem);
    }

    private static String render(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ScenarioException needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        StringBuilder out = new StringBuilder()
                .append(problems.size()).append(" problems in scenario ").append(problems.get(0).source()).append(':');
        for (Problem p : problems) {
            out.append("\n  ").append(p);
        }
        return out.toString();
    }

    /** Every problem found, in file order of discovery; never empty. */
    public List<Problem> problems() {
        return problems;
    }

    /** The first problem. */
    public Problem first() {
        return problems.get(0);
    }
}
