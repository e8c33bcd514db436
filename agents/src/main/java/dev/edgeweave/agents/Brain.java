package dev.edgeweave.agents;

/** Which brain produced a decision. */
public enum Brain {
    /** A deterministic algorithm from core. */
    OPTIMIZER,
    /** A language model. */
    LLM
}
