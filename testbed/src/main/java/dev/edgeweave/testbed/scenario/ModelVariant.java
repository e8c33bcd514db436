package dev.edgeweave.testbed.scenario;

import java.util.Objects;

/**
 * A scenario-level model: a distinct fine-tune or tenant of a catalog model. It has its own id, so it is
 * deployed, loaded, placed and queued apart, but the same architecture, weights size, memory, limits and
 * latency law as its base. This is how a scenario serves more models than the catalog's eight without
 * inventing figures.
 *
 * @param id     its id, unique in the scenario and not a catalog id
 * @param baseId the catalog model it is a variant of
 * @param note   what it stands for
 */
public record ModelVariant(String id, String baseId, String note) {

    public ModelVariant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(baseId, "baseId");
        Objects.requireNonNull(note, "note");
    }
}
