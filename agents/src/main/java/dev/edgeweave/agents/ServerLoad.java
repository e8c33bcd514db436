package dev.edgeweave.agents;

/**
 * One server's load as the control plane sees it.
 *
 * @param serverId          the server
 * @param up                whether its heartbeat is fresh
 * @param queued            prompts waiting over all its models
 * @param running           prompts being served
 * @param utilisation       busy share of its GPUs over the window, in [0, 1]
 * @param memoryUtilisation share of its GPU memory in use, in [0, 1]
 */
public record ServerLoad(String serverId, boolean up, int queued, int running, double utilisation,
                         double memoryUtilisation) {
}
