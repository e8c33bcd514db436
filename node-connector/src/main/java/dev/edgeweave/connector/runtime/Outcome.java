package dev.edgeweave.connector.runtime;

import dev.edgeweave.v1.ReasonCode;
import java.util.Objects;

/** How one {@link Work} ended in a runtime: exactly one per submitted work. */
public sealed interface Outcome {

    /**
     * Served.
     *
     * @param output           an {@code InlineContent} or a {@code ContentReference}
     * @param queueSeconds     city seconds waiting for a batch slot
     * @param loadWaitSeconds  city seconds waiting for the model to finish loading
     * @param inferenceSeconds city seconds from its start to its end
     */
    record Completed(Object output, double queueSeconds, double loadWaitSeconds, double inferenceSeconds)
            implements Outcome {
        public Completed {
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * Not served.
     *
     * @param reason   {@code RUNTIME_ERROR} (the model server failed, timed out or answered garbage),
     *                 {@code NOT_DEPLOYED} (the model went away) or {@code OVERLOADED}
     * @param text     what happened, for the operator (never prompt content)
     * @param handBack whether the scheduler should try elsewhere as a hand-back ({@code HANDED_BACK}) rather
     *                 than a failure ({@code FAILED})
     */
    record Failed(ReasonCode reason, String text, boolean handBack) implements Outcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(text, "text");
        }
    }
}
