package dev.edgeweave.core.server;

import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import java.util.Objects;

/**
 * One prompt as an {@link EmulatedServer} sees it: which model, how big, and an opaque handle back to the
 * caller's own state. Never the content.
 *
 * <p>The server times a job from the moment {@link EmulatedServer#submit} accepts it, not from
 * {@code submittedAt}: the same job may be handed back by a failed server and submitted again elsewhere,
 * keeping its original {@code submittedAt}.
 *
 * @param id          the caller's id (the testbed's prompt id, or an attempt id)
 * @param model       the model to run; the server finds the deployment by {@code model.id()}
 * @param size        the prompt's sizes, from which the latency law gives its work
 * @param submittedAt the caller's timestamp in city seconds (for example the prompt's arrival), carried
 *                    through untouched
 * @param tag         the caller's state for this job (may be null); the server never looks at it
 */
public record Job(long id, ModelSpec model, PromptSize size, double submittedAt, Object tag) {

    public Job {
        Objects.requireNonNull(model, "model of job " + id);
        Objects.requireNonNull(size, "size of job " + id);
    }
}
