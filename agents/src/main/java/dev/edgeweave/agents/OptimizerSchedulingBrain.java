package dev.edgeweave.agents;

import dev.edgeweave.core.fairness.FairnessController;
import dev.edgeweave.core.model.ModelClass;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The short-term agent's optimizer brain: the {@link FairnessController} re-weights classes from the
 * window's per-class mean slowdown, lifting the worst-served class.
 */
public final class OptimizerSchedulingBrain implements ShortTermSchedulingAgent {

    private final FairnessController controller;

    public OptimizerSchedulingBrain(FairnessController controller) {
        this.controller = Objects.requireNonNull(controller, "controller");
    }

    public OptimizerSchedulingBrain() {
        this(new FairnessController());
    }

    @Override
    public SchedulingDecision decide(SchedulingSituation s) {
        Map<ModelClass, Double> slowdown = new EnumMap<>(ModelClass.class);
        Map<ModelClass, Long> counts = new EnumMap<>(ModelClass.class);
        s.classes().forEach((c, st) -> {
            slowdown.put(c, st.meanSlowdown());
            counts.put(c, st.count());
        });
        Map<ModelClass, Double> weights = controller.update(s.current().classWeights(), slowdown, counts);
        ModelClass worst = null;
        for (Map.Entry<ModelClass, Double> e : slowdown.entrySet()) {
            if (worst == null || e.getValue() > slowdown.get(worst)) {
                worst = e.getKey();
            }
        }
        String why = worst == null ? "no class had prompts in the window; weights kept"
                : String.format("worst mean slowdown %s %.2f; weights %s", worst, slowdown.get(worst), weights);
        return new SchedulingDecision(s.current().withClassWeights(weights), why);
    }
}
