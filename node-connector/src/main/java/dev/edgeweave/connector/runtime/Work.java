package dev.edgeweave.connector.runtime;

import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.v1.Prompt;
import java.util.Objects;

/**
 * One attempt of one prompt as a runtime sees it.
 *
 * @param promptId   the prompt's id
 * @param attempt    the scheduler's attempt number
 * @param model      the model to run
 * @param size       the prompt's sizes (what the emulated runtime's latency law reads)
 * @param prompt     the prompt itself, content included (what an HTTP runtime sends to its model server);
 *                   runtimes never log it
 * @param receivedAt when the connector received it, in city seconds on its scheduler
 */
public record Work(String promptId, int attempt, ModelSpec model, PromptSize size, Prompt prompt, double receivedAt) {
    public Work {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(model, "model of " + promptId);
        Objects.requireNonNull(size, "size of " + promptId);
        Objects.requireNonNull(prompt, "prompt " + promptId);
    }
}
