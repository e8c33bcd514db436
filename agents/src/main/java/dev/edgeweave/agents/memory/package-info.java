/**
 * The agents' experience memory: each decision with the situation it was taken in and the outcome measured one
 * period later, recalled by similarity of situation so a brain can see what worked before.
 *
 * <p>{@link dev.edgeweave.agents.memory.ExperienceMemory} is the interface the agents use;
 * {@link dev.edgeweave.agents.memory.ExperienceMemory#NONE} remembers nothing.
 * {@link dev.edgeweave.agents.memory.EmbeddingExperienceMemory} embeds situations with a
 * {@link dev.edgeweave.agents.memory.SituationEmbedder} (all-MiniLM-L6-v2 in-process by default) and recalls by
 * cosine similarity, per agent, only experiences whose outcome is known.
 *
 * <p><b>Persistence format</b>: {@code experiences.jsonl} in the memory's directory, append-only, one JSON
 * object per line: {@code {"op":"remember",...}} with the experience, its per-agent sequence number, the
 * embedder's name and the situation's vector (unit length, little-endian float32, base64);
 * {@code {"op":"outcome","id":...,"outcome":...}}; {@code {"op":"evict","id":...}}. Replayed in order on open
 * (an unreadable line is skipped with a warning naming its number); vectors from another embedder are
 * re-embedded; compacted to one {@code remember} line per live experience, atomically (temporary file and
 * move), once it holds more than twice as many lines as live experiences. {@code experiences.lock} keeps a
 * second memory out of the directory.
 *
 * <p><b>Bound and eviction</b>: at most {@code capacityPerAgent} experiences per agent (10,000 by default).
 * Beyond it, an agent's oldest experience still without an outcome after {@code pendingHorizon} (100) later
 * decisions goes first, since its outcome is lost and it can never be recalled; otherwise its oldest experience
 * by insertion order, since situations drift and the oldest are the least like today's.
 */
package dev.edgeweave.agents.memory;
