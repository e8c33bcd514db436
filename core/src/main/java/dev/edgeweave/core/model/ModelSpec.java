package dev.edgeweave.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One servable model: what it is, what it costs to hold and load, what it accepts, and its latency law.
 *
 * @param id                 catalog id, e.g. {@code llama-3.1-8b-instruct}; the id a prompt names
 * @param name               display name, including the precision it is served at
 * @param modelClass         the kind of work; a prompt's class follows from its model
 * @param weightBytes        bytes of weights at the served precision: what a load reads from storage
 * @param memoryBytes        GPU memory the deployment holds while loaded (weights, KV cache or activations,
 *                           runtime); at least {@code weightBytes}. Placement packs by this figure.
 * @param engineStartSeconds time from weights-in-memory to serving (engine init, graph capture, warm-up)
 * @param limits             the largest prompt it accepts
 * @param law                the calibrated latency-law parameters; their kind matches {@code modelClass}
 * @param sources            where every figure comes from: catalog-facts section and row, or [D]/[E] with why
 */
public record ModelSpec(
        String id,
        String name,
        ModelClass modelClass,
        long weightBytes,
        long memoryBytes,
        double engineStartSeconds,
        ModelLimits limits,
        LatencyParams law,
        List<String> sources) {

    public ModelSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelClass, "modelClass");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(law, "law");
        if (id.isBlank()) {
            throw new IllegalArgumentException("model id must not be blank");
        }
        if (weightBytes <= 0) {
            throw new IllegalArgumentException("model " + id + ": weightBytes must be > 0, was " + weightBytes);
        }
        if (memoryBytes < weightBytes) {
            throw new IllegalArgumentException("model " + id + ": memoryBytes " + memoryBytes
                    + " must be >= weightBytes " + weightBytes);
        }
        if (!(engineStartSeconds >= 0) || Double.isInfinite(engineStartSeconds)) {
            throw new IllegalArgumentException(
                    "model " + id + ": engineStartSeconds must be finite and >= 0, was " + engineStartSeconds);
        }
        if (!law.fits(modelClass)) {
            throw new IllegalArgumentException("model " + id + ": a " + law.getClass().getSimpleName()
                    + " law does not fit class " + modelClass);
        }
        if (law instanceof VisionLanguageParams vl && vl.visionEncoderBytes() >= weightBytes) {
            throw new IllegalArgumentException("model " + id + ": visionEncoderBytes "
                    + vl.visionEncoderBytes() + " must be < weightBytes " + weightBytes);
        }
        sources = List.copyOf(sources);
    }

    /**
     * Bytes that one decode step streams from memory: the weights, minus a vision encoder that only runs
     * before prefill. Meaningful for chat and vision-language models.
     */
    public long decodeStreamedBytes() {
        return law instanceof VisionLanguageParams vl ? weightBytes - vl.visionEncoderBytes() : weightBytes;
    }
}
