package dev.edgeweave.agents.memory;

import java.util.List;

/**
 * What agents remember: past situations with the decision taken and the outcome measured after, recalled by
 * similarity to the situation at hand (DESIGN.md, "Agents": experience memory).
 */
public interface ExperienceMemory extends AutoCloseable {

    /** Remembers a decision (its outcome not measured yet). */
    void remember(Experience e);

    /** Sets the measured outcome of decision {@code id}; no effect for an id it does not hold (evicted). */
    void outcome(String id, String measured);

    /**
     * The {@code k} past experiences of {@code agent} most similar to {@code situation}, most similar first;
     * those with an outcome only (a decision without its outcome teaches nothing yet).
     */
    List<Experience> recall(String agent, String situation, int k);

    /** Experiences held. */
    int size();

    /** A memory that remembers nothing: agents without experience. */
    ExperienceMemory NONE = new ExperienceMemory() {
        @Override
        public void remember(Experience e) {
        }

        @Override
        public void outcome(String id, String measured) {
        }

        @Override
        public List<Experience> recall(String agent, String situation, int k) {
            return List.of();
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    @Override
    void close();
}
