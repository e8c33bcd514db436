package dev.edgeweave.agents.memory;

/**
 * Turns a rendered situation into a vector, so that similar situations have a high cosine similarity. The
 * default is the in-process all-MiniLM-L6-v2 model ({@link #miniLm()}); tests may pass a deterministic
 * function instead.
 *
 * <p>{@link EmbeddingExperienceMemory} stores each vector in its file together with {@link #name()} and reuses
 * it on load only when the name is the same: an embedder whose vectors change must change its name, so that
 * the memory re-embeds what it holds instead of comparing vectors from two different spaces.
 */
@FunctionalInterface
public interface SituationEmbedder {

    /** The vector of {@code text}; same text, same vector. */
    float[] embed(String text);

    /** Names the vector space; stored vectors are reused only under the same name. */
    default String name() {
        return "unnamed";
    }

    /**
     * The all-MiniLM-L6-v2 model (384 dimensions), in-process: one instance per JVM, loaded by the first call
     * (about 1.5 s; then about 4 ms per situation), shared by every memory. Its native libraries ship in the jar.
     */
    static SituationEmbedder miniLm() {
        return MiniLmSituationEmbedder.shared();
    }
}
