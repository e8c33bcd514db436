package dev.edgeweave.schemas;

import java.util.Objects;

/**
 * The one exception type for a record edgeweave cannot accept: bytes that do not decode, a record of another
 * type or major version, or a decoded record with a missing or out-of-range field. It carries what is wrong
 * in a form a caller can put on a dead letter ({@link #problem()}, {@link #field()}, {@link #getMessage()})
 * without ever carrying the record's content.
 */
public final class InvalidRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of wrong. */
    public enum Problem {
        /** Not Avro single-object encoding, truncated, corrupt, or with trailing bytes. */
        UNDECODABLE,
        /** The writer's schema is not in the reader's store: unknown, or of another major version. */
        UNKNOWN_SCHEMA,
        /** A well-formed record of another record type than the one expected. */
        WRONG_TYPE,
        /** Decoded, but a field is missing, out of range or inconsistent. */
        INVALID_FIELD
    }

    private final Problem problem;
    private final String field;

    private InvalidRecordException(Problem problem, String field, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.field = field;
    }

    public static InvalidRecordException undecodable(String expectedType, String detail, Throwable cause) {
        return new InvalidRecordException(Problem.UNDECODABLE, null,
                "undecodable " + expectedType + ": " + detail, cause);
    }

    public static InvalidRecordException unknownSchema(String expectedType, String detail) {
        return new InvalidRecordException(Problem.UNKNOWN_SCHEMA, null,
                "cannot decode " + expectedType + ": " + detail, null);
    }

    public static InvalidRecordException wrongType(String expectedType, String actualType) {
        return new InvalidRecordException(Problem.WRONG_TYPE, null,
                "wrong record type: expected " + expectedType + ", got " + actualType, null);
    }

    /** A field of a decoded record is wrong; {@code field} is its path, e.g. {@code sizes.inputTokens}. */
    public static InvalidRecordException invalidField(String field, String detail) {
        Objects.requireNonNull(field, "field");
        return new InvalidRecordException(Problem.INVALID_FIELD, field, field + ": " + detail, null);
    }

    public Problem problem() {
        return problem;
    }

    /** The path of the offending field for {@link Problem#INVALID_FIELD}; {@code null} otherwise. */
    public String field() {
        return field;
    }
}
