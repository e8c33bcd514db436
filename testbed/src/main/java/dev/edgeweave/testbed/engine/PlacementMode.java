package dev.edgeweave.testbed.engine;

/** How a policy's servers come to hold models. */
public enum PlacementMode {
    /** The static demand-proportional placement, computed once and the same for every policy; never changed. */
    STATIC,
    /**
     * Ollama-style: starts from the static placement, loads a model on a server the first time a prompt for
     * it arrives there, unloads a model idle for keep_alive, and evicts the least recently used idle models
     * when memory is short for a load.
     */
    ONDEMAND,
    /** edgeweave's agents: the long-term agent re-plans every minute, on-node agents carry the plan out. */
    AGENTS
}
