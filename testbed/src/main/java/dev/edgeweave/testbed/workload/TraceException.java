package dev.edgeweave.testbed.workload;

/** A trace file that cannot be used at all: missing, unreadable, empty, wrong header, or no valid row. */
public final class TraceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
