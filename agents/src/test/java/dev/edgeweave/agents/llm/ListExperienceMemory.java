package dev.edgeweave.agents.llm;

import dev.edgeweave.agents.memory.Experience;
import dev.edgeweave.agents.memory.ExperienceMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * An experience memory for tests: a list, "most similar" meaning most recently remembered (the real memory
 * ranks by embedding similarity; what these tests check is what the brain does with what is recalled).
 */
class ListExperienceMemory implements ExperienceMemory {

    private final List<Experience> held = new ArrayList<>();
    private final List<String> recallQueries = new ArrayList<>();

    ListExperienceMemory(Experience... preloaded) {
        held.addAll(List.of(preloaded));
    }

    @Override
    public synchronized void remember(Experience e) {
        held.add(e);
    }

    @Override
    public synchronized void outcome(String id, String measured) {
        held.replaceAll(e -> e.id().equals(id) ? e.withOutcome(measured) : e);
    }

    @Override
    public synchronized List<Experience> recall(String agent, String situation, int k) {
        recallQueries.add(situation);
        List<Experience> out = new ArrayList<>();
        for (int i = held.size() - 1; i >= 0 && out.size() < k; i--) {
            Experience e = held.get(i);
            if (e.agent().equals(agent) && !e.outcome().isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized int size() {
        return held.size();
    }

    @Override
    public void close() {
    }

    synchronized List<Experience> held() {
        return List.copyOf(held);
    }

    synchronized List<String> recallQueries() {
        return List.copyOf(recallQueries);
    }
}
