package dev.edgeweave.testbed.lab;

import dev.edgeweave.testbed.lab.Fuzzer.Category;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How each bad input of a fuzzed run ended, matched from the topics: to its dead letter (by the fuzz-id header the
 * scheduler keeps, or by the source partition and offset every dead letter names) or to its terminal record (by
 * its prompt id, which only it has). A duplicate shares its id with the run's prompt it repeats, so it has no
 * terminal record of its own: not dead-lettered, it is counted completed or rejected only when its id has more
 * terminal records than the one its original is owed, and unaccounted otherwise.
 *
 * @param sent         inputs the broker acknowledged
 * @param deadLettered inputs matched to a dead letter
 * @param rejected     inputs matched to a rejection
 * @param completed    inputs matched to a completion: each one a defect
 * @param unaccounted  inputs matched to nothing
 * @param unexpected   inputs that ended otherwise than their category must ({@link Fuzzer.End})
 * @param byCategory   per category, how many ended each way ({@code dead-lettered INVALID}, {@code rejected
 *                     DEADLINE_EXCEEDED}, {@code completed}, {@code unaccounted})
 * @param examples     a few inputs that were completed, unaccounted or unexpected, for the report
 */
public record FuzzTally(long sent, long deadLettered, long rejected, long completed, long unaccounted,
                        long unexpected, Map<String, Map<String, Integer>> byCategory, List<String> examples) {

    private static final int EXAMPLES = 10;

    /** An input as sent: where the broker put it. */
    public record Sent(String fuzzId, Category category, String promptId, int partition, long offset) {
    }

    /**
     * A record of {@code prompts-dlq}.
     *
     * @param fuzzId the fuzz-id header kept from the input, or null
     */
    public record DeadLetterSeen(String fuzzId, String sourceTopic, int partition, long offset, String reasonCode) {
    }

    /** A record of {@code prompt-completions} ({@code reason} null) or {@code prompt-rejections}. */
    public record TerminalSeen(String promptId, boolean completed, String reason) {
    }

    /** Matches every input sent to what the topics hold. */
    public static FuzzTally match(List<Sent> sent, List<DeadLetterSeen> deadLetters, List<TerminalSeen> terminals,
                                  String promptsTopic) {
        Map<String, DeadLetterSeen> byId = new HashMap<>();
        Map<Long, DeadLetterSeen> byPosition = new HashMap<>();
        for (DeadLetterSeen d : deadLetters) {
            if (d.fuzzId() != null) {
                byId.put(d.fuzzId(), d);
            }
            if (promptsTopic.equals(d.sourceTopic())) {
                byPosition.put(position(d.partition(), d.offset()), d);
            }
        }
        Map<String, List<TerminalSeen>> ends = new HashMap<>();
        for (TerminalSeen t : terminals) {
            ends.computeIfAbsent(t.promptId(), k -> new ArrayList<>()).add(t);
        }
        long dead = 0;
        long rejected = 0;
        long completed = 0;
        long unaccounted = 0;
        long unexpected = 0;
        Map<String, Map<String, Integer>> by = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (Sent s : sent) {
            DeadLetterSeen d = byId.get(s.fuzzId());
            if (d == null) {
                d = byPosition.get(position(s.partition(), s.offset()));
            }
            String outcome;
            String expected = switch (s.category().end()) {
                case INVALID -> "dead-lettered INVALID";
                case DUPLICATE -> "dead-lettered DUPLICATE";
                case DEADLINE_EXCEEDED -> "rejected DEADLINE_EXCEEDED";
            };
            List<TerminalSeen> t = ends.getOrDefault(s.promptId(), List.of());
            if (d != null) {
                outcome = "dead-lettered " + d.reasonCode();
                dead++;
            } else if (s.category() == Category.DUPLICATE_ID ? t.size() < 2 : t.isEmpty()) {
                outcome = "unaccounted";
                unaccounted++;
            } else if (s.category() == Category.DUPLICATE_ID ? t.stream().filter(TerminalSeen::completed).count() >= 2
                    : t.stream().anyMatch(TerminalSeen::completed)) {
                outcome = "completed";
                completed++;
            } else {
                outcome = "rejected " + t.stream().filter(x -> !x.completed()).findFirst().orElseThrow().reason();
                rejected++;
            }
            if (!outcome.equals(expected)) {
                unexpected++;
                if (examples.size() < EXAMPLES) {
                    examples.add(String.format(Locale.ROOT, "%s (%s, prompt id %s, prompts/%d@%d): %s, expected %s",
                            s.fuzzId(), s.category(), s.promptId(), s.partition(), s.offset(), outcome, expected));
                }
            }
            by.computeIfAbsent(s.category().name(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        return new FuzzTally(sent.size(), dead, rejected, completed, unaccounted, unexpected, by, examples);
    }

    private static long position(int partition, long offset) {
        return ((long) partition << 48) ^ offset;
    }
}
