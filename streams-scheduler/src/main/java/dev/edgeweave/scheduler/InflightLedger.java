package dev.edgeweave.scheduler;

import dev.edgeweave.v1.PromptLedgerEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code inflight-ledger} store of one task, with an in-memory index for the scan: where each prompt's
 * current attempt is, how many are in flight at each server, and the attempt deadlines in order. The store stays the truth (it is what the
 * changelog restores); the index is rebuilt from it when the task starts and follows every put and delete.
 *
 * <p>Why: the scan runs every second and used to read and decode the whole ledger to find the few entries
 * due, so its cost grew with the prompts in flight — a backlog (an outage, a burst, a slow city) made every
 * scan slower exactly when the scheduler had the most to do. With the index a scan costs the servers with
 * prompts in flight plus the entries due (plus one pass over the index while a server with prompts in flight
 * is down), and it finds the same entries as a full scan, in the same order
 * (the store's key order), so the scheduler's decisions do not change.
 *
 * <p>Memory: about 150 bytes per prompt in flight. One per task, on its stream thread (not thread-safe).
 */
final class InflightLedger {

    /** An entry as the index sees it: where its current attempt is and when that attempt is overdue. */
    private static final class Slot {
        final String promptId;
        final String nodeId;
        final long deadlineMillis;
        boolean live = true;

        Slot(String promptId, String nodeId, long deadlineMillis) {
            this.promptId = promptId;
            this.nodeId = nodeId;
            this.deadlineMillis = deadlineMillis;
        }
    }

    // The store's iteration order: its keys are UTF-8 (the String serde) compared byte by byte.
    private static final Comparator<String> KEY_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final KeyValueStore<String, PromptLedgerEntry> store;
    private final Map<String, Slot> byPrompt = new HashMap<>();
    /** Prompts in flight per server; a server with none is not listed. */
    private final Map<String, int[]> countAt = new HashMap<>();
    // Deadline order; a slot replaced or deleted stays until it reaches the head, where it is dropped.
    private final PriorityQueue<Slot> byDeadline =
            new PriorityQueue<>(Comparator.comparingLong((Slot s) -> s.deadlineMillis));

    /** Wraps {@code store} and indexes what it holds (a restored ledger included). */
    InflightLedger(KeyValueStore<String, PromptLedgerEntry> store) {
        this.store = store;
        try (KeyValueIterator<String, PromptLedgerEntry> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, PromptLedgerEntry> kv = it.next();
                index(kv.key, kv.value);
            }
        }
    }

    PromptLedgerEntry get(String promptId) {
        return store.get(promptId);
    }

    void put(String promptId, PromptLedgerEntry entry) {
        store.put(promptId, entry);
        index(promptId, entry);
    }

    void delete(String promptId) {
        store.delete(promptId);
        unindex(promptId);
    }

    /** Prompts in flight in this task. */
    int size() {
        return byPrompt.size();
    }

    /**
     * The entries to route again at {@code now}, in the store's key order, each with why: every entry at a
     * server that is not up (unknown, or its heartbeat stale), then every other entry past its attempt
     * deadline — what reading the whole ledger would find.
     *
     * @param up whether a server id is known and its heartbeat fresh at {@code now}
     */
    List<KeyValue<PromptLedgerEntry, String>> due(Instant now, Predicate<String> up) {
        Map<String, String> why = new HashMap<>();
        Set<String> down = new HashSet<>();
        for (String node : countAt.keySet()) {
            if (!up.test(node)) {
                down.add(node);
            }
        }
        if (!down.isEmpty()) {
            // Only while a server with prompts in flight is down: its prompts move on and it drops out.
            for (Slot s : byPrompt.values()) {
                if (down.contains(s.nodeId)) {
                    why.put(s.promptId, "server " + s.nodeId + " stopped heartbeating");
                }
            }
        }
        List<Slot> overdue = new ArrayList<>();
        while (!byDeadline.isEmpty()) {
            Slot s = byDeadline.peek();
            if (!s.live) {
                byDeadline.poll();
                continue;
            }
            // The entry's deadline as stored: Avro's timestamp-millis keeps whole milliseconds.
            if (!now.isAfter(Instant.ofEpochMilli(s.deadlineMillis))) {
                break;
            }
            overdue.add(byDeadline.poll());
            why.putIfAbsent(s.promptId, "attempt overdue");
        }
        // An overdue slot leaves the queue here; if its prompt is not routed again after all, it goes back.
        List<String> ids = new ArrayList<>(why.keySet());
        ids.sort(KEY_ORDER);
        List<KeyValue<PromptLedgerEntry, String>> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            PromptLedgerEntry e = store.get(id);
            if (e != null) {
                out.add(KeyValue.pair(e, why.get(id)));
            }
        }
        for (Slot s : overdue) {
            if (s.live) {
                byDeadline.add(s);
            }
        }
        return out;
    }

    private void index(String promptId, PromptLedgerEntry entry) {
        unindex(promptId);
        Slot s = new Slot(promptId, entry.getNodeId(), entry.getAttemptDeadline().toEpochMilli());
        byPrompt.put(promptId, s);
        countAt.computeIfAbsent(s.nodeId, k -> new int[1])[0]++;
        byDeadline.add(s);
    }

    private void unindex(String promptId) {
        Slot old = byPrompt.remove(promptId);
        if (old == null) {
            return;
        }
        old.live = false;
        int[] count = countAt.get(old.nodeId);
        if (count != null && --count[0] == 0) {
            countAt.remove(old.nodeId);
        }
    }
}
