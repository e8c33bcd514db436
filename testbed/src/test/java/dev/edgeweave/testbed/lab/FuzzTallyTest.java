package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeweave.testbed.lab.FuzzTally.DeadLetterSeen;
import dev.edgeweave.testbed.lab.FuzzTally.Sent;
import dev.edgeweave.testbed.lab.FuzzTally.TerminalSeen;
import dev.edgeweave.testbed.lab.Fuzzer.Category;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching each bad input to its end: by header, by partition and offset, by prompt id; and what is left over. */
class FuzzTallyTest {

    private static final List<Sent> SENT = List.of(
            new Sent("f-0", Category.RANDOM_BYTES, "r-fuzz-0", 0, 10),         // by header
            new Sent("f-1", Category.TRUNCATED_AVRO, "r-fuzz-1", 1, 10),       // by partition and offset only
            new Sent("f-2", Category.PAST_CREATED_AT, "r-fuzz-2", 0, 11),      // rejected
            new Sent("f-3", Category.DUPLICATE_ID, "r-7", 2, 12),              // dead-lettered DUPLICATE
            new Sent("f-4", Category.UNKNOWN_MODEL, "r-fuzz-4", 0, 13),        // completed: a defect
            new Sent("f-5", Category.HUGE_SIZE, "r-fuzz-5", 1, 14),            // nothing
            new Sent("f-6", Category.DUPLICATE_ID, "r-8", 1, 15),              // let through: r-8 completed twice
            new Sent("f-7", Category.DUPLICATE_ID, "r-9", 1, 16));             // only its original's end: unaccounted

    private static final List<DeadLetterSeen> LETTERS = List.of(
            new DeadLetterSeen("f-0", "prompts", 0, 10, "INVALID"),
            new DeadLetterSeen(null, "prompts", 1, 10, "INVALID"),
            new DeadLetterSeen(null, "elsewhere", 1, 14, "INVALID"),          // another topic's position: no match
            new DeadLetterSeen("f-3", "prompts", 2, 12, "DUPLICATE"),
            new DeadLetterSeen(null, "prompts", 0, 3, "INVALID"));            // not a fuzz input's

    private static final List<TerminalSeen> ENDS = List.of(
            new TerminalSeen("r-fuzz-2", false, "DEADLINE_EXCEEDED"),
            new TerminalSeen("r-7", true, null),
            new TerminalSeen("r-fuzz-4", true, null),
            new TerminalSeen("r-8", true, null),
            new TerminalSeen("r-8", true, null),
            new TerminalSeen("r-9", true, null));

    @Test
    void eachInputIsMatchedOnceAndTheRestIsCounted() {
        FuzzTally t = FuzzTally.match(SENT, LETTERS, ENDS, "prompts");
        assertEquals(8, t.sent());
        assertEquals(3, t.deadLettered());
        assertEquals(1, t.rejected());
        assertEquals(2, t.completed());
        assertEquals(2, t.unaccounted());
        assertEquals(4, t.unexpected(), t.examples().toString());
        assertEquals(Map.of("dead-lettered INVALID", 1), t.byCategory().get("RANDOM_BYTES"));
        assertEquals(Map.of("dead-lettered INVALID", 1), t.byCategory().get("TRUNCATED_AVRO"));
        assertEquals(Map.of("rejected DEADLINE_EXCEEDED", 1), t.byCategory().get("PAST_CREATED_AT"));
        assertEquals(Map.of("dead-lettered DUPLICATE", 1, "completed", 1, "unaccounted", 1),
                t.byCategory().get("DUPLICATE_ID"));
        assertEquals(Map.of("completed", 1), t.byCategory().get("UNKNOWN_MODEL"));
        assertEquals(Map.of("unaccounted", 1), t.byCategory().get("HUGE_SIZE"));
    }

    @Test
    void aRunWhereEveryInputEndsAsItMustHasNothingLeftOver() {
        FuzzTally t = FuzzTally.match(SENT.subList(0, 4), LETTERS, ENDS, "prompts");
        assertEquals(0, t.unaccounted());
        assertEquals(0, t.completed());
        assertEquals(0, t.unexpected(), t.examples().toString());
    }
}
