package dev.edgeweave.agents;

/**
 * Decides which models run where, every long window (DESIGN.md, "Agents"). Brains:
 * {@link OptimizerPlanningBrain}, and a language model behind the same interface.
 */
public interface LongTermPlanningAgent {
    PlanningDecision decide(PlanningSituation situation);
}
