package dev.edgeweave.connector;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which prompt offsets may be committed: only the <b>contiguous prefix</b> of those whose result is produced.
 * Prompts finish out of order (several batch slots, several models), so committing the highest finished
 * offset would, after a crash, skip the prompts still in flight below it; committing the prefix means a
 * restart serves those again (and the scheduler ignores the duplicate results of the ones that had finished).
 *
 * <p>Per partition it keeps the offsets received and not yet done, and the next offset after the highest
 * received. Thread-safe: the poll thread records receipts and reads what to commit, the producer's callbacks
 * record what is done.
 */
final class OffsetTracker {

    private static final class Partition {
        final TreeSet<Long> open = new TreeSet<>();
        long next = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** A record at {@code offset} was received and is now in flight. */
    synchronized void received(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        p.open.add(offset);
        p.next = Math.max(p.next, offset + 1);
    }

    /** The record at {@code offset} is done: its result is produced (or it needed none). */
    synchronized void done(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** Records received and not done, over every partition. */
    synchronized int inFlight() {
        int n = 0;
        for (Partition p : partitions.values()) {
            n += p.open.size();
        }
        return n;
    }

    /**
     * The offsets to commit now: per partition, the first offset still in flight, or the next after the
     * highest received when none is; only partitions whose commit point moved since the last call.
     */
    synchronized Map<TopicPartition, Long> toCommit() {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Partition> e : partitions.entrySet()) {
            Partition p = e.getValue();
            if (p.next < 0) {
                continue;
            }
            long point = p.open.isEmpty() ? p.next : p.open.first();
            if (point > p.committed) {
                out.put(e.getKey(), point);
            }
        }
        return out;
    }

    /** {@code offset} of {@code tp} is committed. */
    synchronized void committed(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.committed = Math.max(p.committed, offset);
        }
    }

    /** Forgets partitions this consumer no longer owns (their records are another's to serve). */
    synchronized void forget(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }
}
