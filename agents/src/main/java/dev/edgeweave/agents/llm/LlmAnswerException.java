package dev.edgeweave.agents.llm;

import java.util.Objects;

/**
 * Why an LLM brain has no decision: the model's answer could not be parsed or cannot stand as a decision, the
 * model did not answer in time, or the call failed. {@code GuardedAgent} puts the optimizer's decision in its
 * place and records this message as the reason, so the message starts with what kind of failure it was
 * ({@code unparseable answer: }, {@code unusable answer: }, {@code timeout: }, {@code model error: }).
 */
public final class LlmAnswerException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The answer is not JSON of the expected shape. */
        UNPARSEABLE("unparseable answer"),
        /** The answer parsed but cannot be represented as a decision (unknown class or action, bad number). */
        UNUSABLE("unusable answer"),
        /** No answer within the timeout. */
        TIMEOUT("timeout"),
        /** The model server refused or failed the call (HTTP error, connection refused, ...). */
        MODEL_ERROR("model error");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How a message of this kind starts. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;

    public LlmAnswerException(Kind kind, String detail) {
        this(kind, detail, null);
    }

    public LlmAnswerException(Kind kind, String detail, Throwable cause) {
        super(Objects.requireNonNull(kind, "kind").label() + ": " + detail, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
