package dev.edgeweave.agents;

/**
 * Turns this server's part of the plan into loads, unloads and GPU shares, on each command and state change
 * (DESIGN.md, "Agents"). Brains: {@link OptimizerDeploymentBrain}, and a language model behind the same
 * interface.
 */
public interface OnNodeDeploymentAgent {
    DeploymentDecision decide(DeploymentSituation situation);
}
