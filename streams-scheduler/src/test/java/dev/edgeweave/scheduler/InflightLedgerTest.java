package dev.edgeweave.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.avro.AvroSerde;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.ModelClass;
import dev.edgeweave.v1.PromptLedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The ledger's index finds what the scan found by reading every entry (the code it replaced, kept below as
 * {@link #fullScan}): the same entries, for the same reasons, in the same order, through puts that replace an
 * attempt, deletes, servers going down and deadlines passing, and after a restart from a filled store.
 */
class InflightLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    private static final List<String> NODES = List.of("edge-1", "edge-2", "edge-3", "edge-4");

    @Test
    void dueMatchesAFullScanOfTheStore() {
        KeyValueStore<String, PromptLedgerEntry> store = store();
        InflightLedger ledger = new InflightLedger(store);
        Random random = new Random(11);
        List<String> ids = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            int op = random.nextInt(10);
            if (op < 6 || ids.isEmpty()) {
                // New prompts and new attempts of known ones, ids of mixed length so key order is not insertion order.
                String id = random.nextInt(4) == 0 && !ids.isEmpty() ? ids.get(random.nextInt(ids.size()))
                        : "p-" + Integer.toString(random.nextInt(100_000), 36) + (random.nextBoolean() ? "é" : "");
                ledger.put(id, entry(id, NODES.get(random.nextInt(NODES.size())),
                        T0.plusMillis(random.nextInt(60_000)).plusNanos(random.nextInt(1_000_000))));
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            } else if (op < 8) {
                String id = ids.remove(random.nextInt(ids.size()));
                ledger.delete(id);
                assertNull(ledger.get(id));
            } else {
                Instant now = T0.plusMillis(random.nextInt(70_000)).plusNanos(random.nextInt(1_000_000));
                Set<String> down = random.nextBoolean() ? Set.of() : Set.of(NODES.get(random.nextInt(NODES.size())));
                Predicate<String> up = n -> !down.contains(n);
                assertEquals(render(fullScan(store, now, up)), render(ledger.due(now, up)), "step " + step);
            }
        }
        assertEquals(ids.size(), ledger.size());
        // A task that starts over a filled store (a restore) finds the same.
        InflightLedger restarted = new InflightLedger(store);
        Instant late = T0.plusSeconds(30);
        Predicate<String> edge2Down = n -> !n.equals("edge-2");
        assertEquals(render(fullScan(store, late, edge2Down)), render(restarted.due(late, edge2Down)));
        assertTrue(restarted.due(late, edge2Down).size() > 0, "the case must have something due");
    }

    @Test
    void anAttemptReplacedByANewOneIsJudgedByItsNewDeadline() {
        InflightLedger ledger = new InflightLedger(store());
        ledger.put("p-1", entry("p-1", "edge-1", T0.plusSeconds(5)));
        ledger.put("p-1", entry("p-1", "edge-2", T0.plusSeconds(50)));
        assertEquals(List.of(), ledger.due(T0.plusSeconds(10), n -> true));
        assertEquals(List.of("p-1: attempt overdue"), render(ledger.due(T0.plusSeconds(51), n -> true)));
        assertEquals(List.of("p-1: server edge-2 stopped heartbeating"),
                render(ledger.due(T0.plusSeconds(51), n -> !n.equals("edge-2"))));
        assertEquals(List.of(), ledger.due(T0.plusSeconds(51), n -> !n.equals("edge-1")).stream()
                .filter(kv -> kv.value.contains("edge-1")).toList());
    }

    /** The scan as it was: every entry read, in the store's order. */
    private static List<KeyValue<PromptLedgerEntry, String>> fullScan(KeyValueStore<String, PromptLedgerEntry> store,
                                                                     Instant now, Predicate<String> up) {
        List<KeyValue<PromptLedgerEntry, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, PromptLedgerEntry> it = store.all()) {
            while (it.hasNext()) {
                PromptLedgerEntry e = it.next().value;
                if (!up.test(e.getNodeId())) {
                    due.add(KeyValue.pair(e, "server " + e.getNodeId() + " stopped heartbeating"));
                } else if (now.isAfter(e.getAttemptDeadline())) {
                    due.add(KeyValue.pair(e, "attempt overdue"));
                }
            }
        }
        return due;
    }

    private static List<String> render(List<KeyValue<PromptLedgerEntry, String>> due) {
        return due.stream().map(kv -> kv.key.getPrompt().getPromptId() + ": " + kv.value).toList();
    }

    private static KeyValueStore<String, PromptLedgerEntry> store() {
        KeyValueStore<String, PromptLedgerEntry> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("ledger"), Serdes.String(), AvroSerde.of(PromptLedgerEntry.class))
                .withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static PromptLedgerEntry entry(String id, String node, Instant deadline) {
        LatencyBreakdown zero = LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0).setQueueSeconds(0)
                .setLoadWaitSeconds(0).setInferenceSeconds(1).setDownlinkSeconds(0).setTotalSeconds(1).build();
        return PromptLedgerEntry.newBuilder().setPrompt(SchedulerFixture.prompt(id).build())
                .setModelClass(ModelClass.CHAT).setAttempt(1).setNodeId(node).setAcceptedAt(T0).setDispatchedAt(T0)
                .setAttemptDeadline(deadline).setPredicted(zero).setExcludedNodeIds(List.of()).build();
    }
}
