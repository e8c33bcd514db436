package dev.edgeweave.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("node.a.prompts", 0);
    private static final TopicPartition P1 = new TopicPartition("node.a.prompts", 1);

    @Test
    void onlyTheContiguousPrefixOfDoneOffsetsIsCommitted() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o < 15; o++) {
            t.received(P0, o);
        }
        assertEquals(Map.of(P0, 10L), t.toCommit(), "nothing done: the first in flight");
        t.committed(P0, 10);
        // Out of order: 12 and 13 finish before 10 and 11.
        t.done(P0, 12);
        t.done(P0, 13);
        assertTrue(t.toCommit().isEmpty(), "10 still in flight: the commit point stays at 10");
        t.done(P0, 10);
        assertEquals(Map.of(P0, 11L), t.toCommit(), "11 still in flight");
        t.committed(P0, 11);
        t.done(P0, 11);
        assertEquals(Map.of(P0, 14L), t.toCommit(), "10 to 13 done, 14 in flight");
        t.committed(P0, 14);
        t.done(P0, 14);
        assertEquals(Map.of(P0, 15L), t.toCommit(), "all done: after the highest received");
        t.committed(P0, 15);
        assertTrue(t.toCommit().isEmpty(), "nothing moved");
        assertEquals(0, t.inFlight());
    }

    @Test
    void partitionsAreIndependentAndForgottenOnRevocation() {
        OffsetTracker t = new OffsetTracker();
        t.received(P0, 0);
        t.received(P1, 5);
        t.done(P1, 5);
        assertEquals(Map.of(P0, 0L, P1, 6L), t.toCommit());
        assertEquals(1, t.inFlight());
        t.forget(List.of(P0));
        assertEquals(Map.of(P1, 6L), t.toCommit());
        assertEquals(0, t.inFlight());
        t.done(P0, 0); // a late callback for a revoked partition changes nothing
        assertEquals(Map.of(P1, 6L), t.toCommit());
    }
}
