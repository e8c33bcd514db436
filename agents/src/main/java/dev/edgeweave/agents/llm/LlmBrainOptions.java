package dev.edgeweave.agents.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * How an LLM brain asks its model.
 *
 * @param recall   how many similar past situations (with their decision and measured outcome) go into the
 *                 prompt; 0 for none
 * @param deadline the longest a decision may wait for the model, retries and parsing included; past it the
 *                 brain gives up with a {@code timeout} {@link LlmAnswerException} (the model's own HTTP
 *                 timeout, {@link LlmSettings#timeout}, normally strikes first)
 */
public record LlmBrainOptions(int recall, Duration deadline) {

    /** Three past situations, one minute. */
    public static final LlmBrainOptions DEFAULT = new LlmBrainOptions(3, Duration.ofMinutes(1));

    /** Slack between the model's HTTP timeout and the brain's deadline, so the HTTP timeout is what is seen. */
    static final Duration DEADLINE_SLACK = Duration.ofSeconds(1);

    public LlmBrainOptions {
        Objects.requireNonNull(deadline, "deadline");
        if (recall < 0) {
            throw new IllegalArgumentException("recall must be >= 0, was " + recall);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be > 0, was " + deadline);
        }
    }

    /** {@code recall} past situations and a deadline of the settings' timeout plus one second. */
    public static LlmBrainOptions forSettings(LlmSettings settings, int recall) {
        return new LlmBrainOptions(recall, settings.timeout().plus(DEADLINE_SLACK));
    }
}
