package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.PromptValidator;
import dev.edgeweave.schemas.ValidatedPrompt;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.testbed.lab.Fuzzer.Category;
import dev.edgeweave.v1.Prompt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Every category of bad input is made, and each input is refused as DESIGN.md "Records" says: the scheduler's own
 * decoder and validator refuse it, or it is a valid prompt that is a duplicate of a sent id or past its deadline.
 */
class FuzzerTest {

    private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");
    private static final int LIMIT = 1024 * 1024;
    private static final List<String> SENT = List.of("lab-x-0", "lab-x-1", "lab-x-2");

    private final Fuzzer fuzzer = new Fuzzer(ModelCatalog.standard(), LIMIT);
    private final PromptValidator validator = new PromptValidator(ModelCatalog.standard(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPlanHasEveryCategorySpreadOverTheSpanInTimeOrderAndIsSeeded() {
        List<Fuzzer.Planned> plan = Fuzzer.plan(1000, 7, 60, 1140);
        assertEquals(1000, plan.size());
        EnumMap<Category, Integer> count = new EnumMap<>(Category.class);
        plan.forEach(p -> count.merge(p.category(), 1, Integer::sum));
        assertEquals(EnumSet.allOf(Category.class), count.keySet());
        assertTrue(count.get(Category.NEAR_BROKER_LIMIT) < count.get(Category.RANDOM_BYTES), count.toString());
        for (int i = 1; i < plan.size(); i++) {
            assertTrue(plan.get(i).atSeconds() >= plan.get(i - 1).atSeconds());
        }
        assertTrue(plan.get(0).atSeconds() >= 60 && plan.get(999).atSeconds() < 1140);
        // paced, not a burst: every tenth of the span holds some
        int[] deciles = new int[10];
        plan.forEach(p -> deciles[(int) ((p.atSeconds() - 60) / 108)]++);
        for (int d : deciles) {
            assertTrue(d > 50, java.util.Arrays.toString(deciles));
        }
        assertEquals(plan, Fuzzer.plan(1000, 7, 60, 1140));
        assertTrue(!plan.equals(Fuzzer.plan(1000, 8, 60, 1140)));
        assertEquals(EnumSet.allOf(Category.class), EnumSet.copyOf(Fuzzer.plan(12, 1, 0, 1).stream()
                .map(Fuzzer.Planned::category).toList()));
        assertThrows(IllegalArgumentException.class, () -> Fuzzer.plan(11, 1, 0, 1));
    }

    @Test
    void everyInputIsTaggedAndRefusedAsItsCategorySays() {
        Map<Category, Integer> seen = new EnumMap<>(Category.class);
        for (Fuzzer.Planned p : Fuzzer.plan(600, 3, 0, 100)) {
            Fuzzer.Input in = fuzzer.record(p, "lab-x-", NOW, SENT);
            seen.merge(p.category(), 1, Integer::sum);
            assertEquals(p.fuzzId(), new String(in.headers().lastHeader(Fuzzer.FUZZ_ID).value(), StandardCharsets.UTF_8));
            assertEquals(p.category().name(),
                    new String(in.headers().lastHeader(Fuzzer.FUZZ_CATEGORY).value(), StandardCharsets.UTF_8));
            assertTrue(in.value().length < LIMIT - 4096, p + ": " + in.value().length + " bytes");
            switch (p.category().end()) {
                case INVALID -> {
                    InvalidRecordException e = assertThrows(InvalidRecordException.class,
                            () -> validator.validate(AvroCodec.of(Prompt.class).decode(in.value())), p.toString());
                    assertTrue(expectedProblem(p.category(), e), p + ": " + e.problem() + " " + e.getMessage());
                    assertTrue(in.key().startsWith("lab-x-fuzz-"), in.key());
                }
                case DUPLICATE -> {
                    ValidatedPrompt v = validator.validate(AvroCodec.of(Prompt.class).decode(in.value()));
                    assertTrue(SENT.contains(in.key()), in.key());
                    assertEquals(in.key(), v.prompt().getPromptId());
                }
                case DEADLINE_EXCEEDED -> {
                    ValidatedPrompt v = validator.validate(AvroCodec.of(Prompt.class).decode(in.value()));
                    assertTrue(v.deadline().isBefore(NOW.minusSeconds(3600)), v.deadline().toString());
                    assertEquals(in.key(), v.prompt().getPromptId());
                    assertTrue(in.key().startsWith("lab-x-fuzz-"), in.key());
                }
            }
        }
        assertEquals(EnumSet.allOf(Category.class), seen.keySet());
    }

    private static boolean expectedProblem(Category c, InvalidRecordException e) {
        return switch (c) {
            case RANDOM_BYTES, TRUNCATED_AVRO -> e.problem() == InvalidRecordException.Problem.UNDECODABLE
                    || e.problem() == InvalidRecordException.Problem.UNKNOWN_SCHEMA;
            case WRONG_RECORD_TYPE -> e.problem() == InvalidRecordException.Problem.WRONG_TYPE;
            case NEWER_MAJOR_VERSION -> e.problem() == InvalidRecordException.Problem.UNKNOWN_SCHEMA;
            case NEGATIVE_SIZE -> e.field().startsWith("sizes.") || e.field().equals("sloSeconds");
            case HUGE_SIZE -> e.field().startsWith("sizes.");
            case UNKNOWN_MODEL -> e.field().equals("modelId");
            case FUTURE_CREATED_AT -> e.field().equals("createdAt");
            case OVER_INLINE_LIMIT -> e.field().equals("content.data");
            case NEAR_BROKER_LIMIT -> e.field() != null ? e.field().equals("content.data")
                    : e.problem() == InvalidRecordException.Problem.UNDECODABLE
                    || e.problem() == InvalidRecordException.Problem.UNKNOWN_SCHEMA;
            default -> false;
        };
    }

    @Test
    void nearTheBrokerLimitMeansWithinSomeKibOfIt() {
        Fuzzer.Planned p = Fuzzer.plan(1000, 5, 0, 1).stream()
                .filter(x -> x.category() == Category.NEAR_BROKER_LIMIT).findFirst().orElseThrow();
        int size = fuzzer.record(p, "lab-x-", NOW, SENT).value().length;
        assertTrue(size > LIMIT - 24 * 1024 && size < LIMIT - 4096, size + " bytes");
    }

    @Test
    void theNewerMajorVersionIsValidAvroOfItsOwnSchema() throws Exception {
        Prompt p = fuzzer.valid(new java.util.SplittableRandom(1), "lab-x-fuzz-1", NOW).build();
        byte[] bytes = Fuzzer.newerMajor(p, 7);
        var schema = Fuzzer.newerMajorSchema();
        assertEquals("dev.edgeweave.v2.Prompt", schema.getFullName());
        GenericRecord r = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));
        assertEquals("lab-x-fuzz-1", r.get("promptId").toString());
        assertEquals(7, r.get("priority"));
        assertEquals(InvalidRecordException.Problem.UNKNOWN_SCHEMA, assertThrows(InvalidRecordException.class,
                () -> AvroCodec.of(Prompt.class).decode(bytes)).problem());
    }

    @Test
    void theSameSeedMakesTheSameBytes() {
        for (Fuzzer.Planned p : Fuzzer.plan(40, 9, 0, 10)) {
            assertArrayEquals(fuzzer.record(p, "lab-x-", NOW, SENT).value(),
                    fuzzer.record(p, "lab-x-", NOW, SENT).value(), p.toString());
        }
    }
}
