package dev.edgeweave.agents;

/**
 * Tunes how prompts are routed, every short window (DESIGN.md, "Agents"): reads the last window's per-class
 * service and per-server load, returns the routing weights. Brains: {@link OptimizerSchedulingBrain}, and a
 * language model behind the same interface.
 */
public interface ShortTermSchedulingAgent {
    SchedulingDecision decide(SchedulingSituation situation);
}
