package dev.edgeweave.agents;

import dev.edgeweave.core.fairness.FairnessController;
import dev.edgeweave.core.model.ModelClass;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The short-term agent's optimizer brain: the {@link FairnessController} re-weights classes from their mean
 * slowdown, lifting the worst-served class.
 *
 * <p>A 10-second window holds only a handful of prompts of a rare class, too few to act on. The brain
 * therefore keeps each class's slowdown as a decaying sum over windows (each window's weight
 * {@link #DECAY} times the one before, about half a minute of memory) and hands the controller that mean and
 * its effective count. This is the brain's only state; it never sees a prompt, only window aggregates.
 */
public final class OptimizerSchedulingBrain implements ShortTermSchedulingAgent {

    /** Weight of the previous windows' slowdown relative to the newest window. */
    public static final double DECAY = 0.7;

    private final FairnessController controller;
    private final double[] slowdownSum = new double[ModelClass.values().length];
    private final double[] count = new double[ModelClass.values().length];

    public OptimizerSchedulingBrain(FairnessController controller) {
        this.controller = Objects.requireNonNull(controller, "controller");
    }

    public OptimizerSchedulingBrain() {
        this(new FairnessController());
    }

    @Override
    public SchedulingDecision decide(SchedulingSituation s) {
        for (int c = 0; c < count.length; c++) {
            slowdownSum[c] *= DECAY;
            count[c] *= DECAY;
        }
        s.classes().forEach((c, st) -> {
            slowdownSum[c.ordinal()] += st.meanSlowdown() * st.count();
            count[c.ordinal()] += st.count();
        });
        Map<ModelClass, Double> slowdown = new EnumMap<>(ModelClass.class);
        Map<ModelClass, Long> counts = new EnumMap<>(ModelClass.class);
        ModelClass worst = null;
        for (ModelClass c : ModelClass.values()) {
            if (count[c.ordinal()] > 0) {
                double mean = slowdownSum[c.ordinal()] / count[c.ordinal()];
                slowdown.put(c, mean);
                counts.put(c, Math.round(count[c.ordinal()]));
                if (worst == null || mean > slowdown.get(worst)) {
                    worst = c;
                }
            }
        }
        Map<ModelClass, Double> weights = controller.update(s.current().classWeights(), slowdown, counts);
        String why = worst == null ? "no class had prompts yet; weights kept"
                : String.format("worst mean slowdown %s %.2f; weights %s", worst, slowdown.get(worst), weights);
        return new SchedulingDecision(s.current().withClassWeights(weights), why);
    }
}
