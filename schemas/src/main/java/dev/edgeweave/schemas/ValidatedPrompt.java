package dev.edgeweave.schemas;

import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.Prompt;
import java.time.Instant;

/**
 * A prompt that passed {@link PromptValidator}: the record with its catalog model, its sizes in core terms
 * and its deadline ({@code createdAt + sloSeconds}).
 */
public record ValidatedPrompt(Prompt prompt, ModelSpec model, PromptSize size, Instant deadline) {

    /** The prompt's class, as the contract spells it. */
    public ModelClass modelClass() {
        return ModelClasses.toAvro(model.modelClass());
    }
}
