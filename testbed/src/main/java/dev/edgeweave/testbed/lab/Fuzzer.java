package dev.edgeweave.testbed.lab;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelLimits;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.schemas.ModelClasses;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.avro.EdgeweaveSchemas;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.PromptSizes;
import dev.edgeweave.v1.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Bad inputs for the {@code prompts} topic, seeded and deterministic: every record it makes is one a reader must
 * refuse by DESIGN.md "Records" (dead-lettered {@code INVALID} or {@code DUPLICATE}) or reject on arrival
 * ({@code DEADLINE_EXCEEDED}); none may complete. Each record carries the header {@value #FUZZ_ID} (its fuzz id,
 * {@code f-000042}) and {@value #FUZZ_CATEGORY} (its {@link Category}), which the scheduler keeps on the dead
 * letter, so each input can be matched to its end.
 *
 * <p>A plan ({@link #plan}) spreads the inputs over the replay's city seconds; each input's bytes are made when
 * it is sent ({@link #record}), since some depend on the moment (created-at far ahead of or behind the city
 * clock) or on what was sent before (a duplicate repeats the id of a prompt of the run already sent).
 */
public final class Fuzzer {

    /** The record header holding an input's fuzz id. */
    public static final String FUZZ_ID = "edgeweave-fuzz-id";
    /** The record header holding an input's category. */
    public static final String FUZZ_CATEGORY = "edgeweave-fuzz-category";

    /** What kind of bad input, and how the pipeline must end it. */
    public enum Category {
        /** Random bytes, from none to a few KiB: not Avro single-object encoding, or corrupt. */
        RANDOM_BYTES(End.INVALID, 10),
        /** A valid {@code Prompt}'s encoding cut short. */
        TRUNCATED_AVRO(End.INVALID, 10),
        /** Valid Avro of another record type of the contract ({@code NodeState}, {@code PromptRejection}). */
        WRONG_RECORD_TYPE(End.INVALID, 10),
        /** A {@code Prompt} of a newer major schema version ({@code dev.edgeweave.v2}, one field more). */
        NEWER_MAJOR_VERSION(End.INVALID, 10),
        /** A negative size, or an SLO that is not a finite number above 0. */
        NEGATIVE_SIZE(End.INVALID, 10),
        /** A size far beyond the model's limits. */
        HUGE_SIZE(End.INVALID, 10),
        /** A model id the catalog does not have. */
        UNKNOWN_MODEL(End.INVALID, 10),
        /** Created more than an hour ahead of the city clock: hours to centuries. */
        FUTURE_CREATED_AT(End.INVALID, 10),
        /** Created long before the city clock (a day to decades, or the epoch): past its deadline on arrival. */
        PAST_CREATED_AT(End.DEADLINE_EXCEEDED, 10),
        /** A valid prompt repeating the id of a prompt of the run sent before it. */
        DUPLICATE_ID(End.DUPLICATE, 10),
        /** Inline content over the 256 KiB inline limit, with no reference. */
        OVER_INLINE_LIMIT(End.INVALID, 3),
        /** A record a few KiB under the broker's size limit: a prompt with that much inline content, or bytes. */
        NEAR_BROKER_LIMIT(End.INVALID, 2);

        private final End end;
        private final int weight;

        Category(End end, int weight) {
            this.end = end;
            this.weight = weight;
        }

        /** How the pipeline must end an input of this category. */
        public End end() {
            return end;
        }
    }

    /** How a bad input must end. */
    public enum End {
        /** Dead-lettered {@code INVALID}. */
        INVALID,
        /** Dead-lettered {@code DUPLICATE}. */
        DUPLICATE,
        /** Accepted, then rejected {@code DEADLINE_EXCEEDED} (its deadline had passed when it arrived). */
        DEADLINE_EXCEEDED;

        /** Whether this end is a dead letter (else a rejection). */
        public boolean deadLettered() {
            return this != DEADLINE_EXCEEDED;
        }
    }

    /**
     * One planned input.
     *
     * @param fuzzId    its id, the value of the {@value #FUZZ_ID} header
     * @param category  what kind of bad input
     * @param atSeconds city seconds after the replay's start when it is due
     * @param variant   the seed of its bytes
     */
    public record Planned(String fuzzId, Category category, double atSeconds, long variant) {
    }

    /** One input as sent: its key (a prompt id), its value and its headers. */
    public record Input(Planned planned, String key, byte[] value, Headers headers) {
    }

    private static final Duration MAX_AHEAD = dev.edgeweave.schemas.PromptValidator.MAX_CREATED_AHEAD;

    private final ModelCatalog catalog;
    private final int brokerLimitBytes;
    private final List<ModelSpec> models;

    /**
     * @param catalog          the models a valid prompt may name
     * @param brokerLimitBytes the largest record the broker (and the producer) takes, for
     *                         {@link Category#NEAR_BROKER_LIMIT}
     */
    public Fuzzer(ModelCatalog catalog, int brokerLimitBytes) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (brokerLimitBytes < 512 * 1024) {
            throw new IllegalArgumentException("a broker limit of " + brokerLimitBytes + " bytes is under 512 KiB");
        }
        this.brokerLimitBytes = brokerLimitBytes;
        this.models = List.copyOf(catalog.models());
    }

    /** Refuses a {@code --count} too small for one input of each category. */
    public static void requireCount(int count) {
        if (count < Category.values().length) {
            throw new IllegalArgumentException("--count must be at least " + Category.values().length
                    + " (one bad input of each category), was " + count);
        }
    }

    /**
     * {@code count} inputs, every category at least once and the rest by weight, at times spread uniformly over
     * {@code [from, to)} city seconds, in time order.
     */
    public static List<Planned> plan(int count, long seed, double from, double to) {
        Category[] all = Category.values();
        requireCount(count);
        if (!(to > from)) {
            throw new IllegalArgumentException("an empty span of city seconds: [" + from + ", " + to + ")");
        }
        int totalWeight = Arrays.stream(all).mapToInt(c -> c.weight).sum();
        List<Category> categories = new ArrayList<>();
        for (Category c : all) {
            int n = Math.max(1, (int) Math.floor((double) count * c.weight / totalWeight));
            for (int i = 0; i < n; i++) {
                categories.add(c);
            }
        }
        for (int i = 0; categories.size() < count; i++) {
            categories.add(all[i % all.length]); // the rounding's remainder, round-robin
        }
        while (categories.size() > count) {
            categories.remove(categories.size() - 1);
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Collections.shuffle(categories, new java.util.Random(random.nextLong()));
        double[] times = new double[count];
        for (int i = 0; i < count; i++) {
            times[i] = from + random.nextDouble() * (to - from);
        }
        Arrays.sort(times);
        List<Planned> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Planned(String.format("f-%06d", i), categories.get(i), times[i], random.nextLong()));
        }
        return out;
    }

    /**
     * The record of a planned input.
     *
     * @param p          the input
     * @param idPrefix   the run's prompt-id prefix ({@code <run>-}); fuzz prompts are {@code <run>-fuzz-<n>}
     * @param now        the city clock now
     * @param sentIds    ids of the run's prompts sent so far, for a duplicate (at least one for
     *                   {@link Category#DUPLICATE_ID})
     */
    public Input record(Planned p, String idPrefix, Instant now, List<String> sentIds) {
        SplittableRandom r = new SplittableRandom(p.variant());
        String id = idPrefix + "fuzz-" + p.fuzzId().substring(2);
        byte[] value = switch (p.category()) {
            case RANDOM_BYTES -> randomBytes(r, r.nextInt(4) == 0 ? r.nextInt(12) : r.nextInt(4096));
            case TRUNCATED_AVRO -> {
                byte[] whole = encode(valid(r, id, now).build());
                yield Arrays.copyOf(whole, r.nextInt(whole.length)); // 0 .. length-1 bytes
            }
            case WRONG_RECORD_TYPE -> r.nextBoolean() ? AvroCodec.of(NodeState.class).encode(NodeState.newBuilder()
                    .setNodeId("edge-" + r.nextInt(100)).setSiteId("site").setHeartbeatAt(now).setSequence(1)
                    .setStorageBytesPerSecond(1).setGpus(List.of()).setDeployments(List.of()).build())
                    : AvroCodec.of(PromptRejection.class).encode(PromptRejection.newBuilder().setPromptId(id)
                    .setModelId(models.get(0).id()).setModelClass(ModelClasses.toAvro(models.get(0).modelClass()))
                    .setUserId("user-fuzz").setAccessPointId("ap-fuzz").setReason(ReasonCode.NO_CAPACITY)
                    .setReasonText("fuzz").setAttempts(0).setSloSeconds(30).setCreatedAt(now).setRejectedAt(now)
                    .build());
            case NEWER_MAJOR_VERSION -> newerMajor(valid(r, id, now).build(), r.nextInt(10));
            case NEGATIVE_SIZE -> encode(negative(r, valid(r, id, now)).build());
            case HUGE_SIZE -> encode(huge(r, valid(r, id, now)).build());
            case UNKNOWN_MODEL -> encode(valid(r, id, now).setModelId(r.nextBoolean() ? "gpt-" + r.nextInt(10)
                    : models.get(r.nextInt(models.size())).id() + "-v" + (2 + r.nextInt(8))).build());
            case FUTURE_CREATED_AT -> {
                long aheadMs = switch (r.nextInt(3)) {
                    case 0 -> MAX_AHEAD.toMillis() + 60_000 + r.nextLong(Duration.ofDays(1).toMillis());
                    case 1 -> Duration.ofDays(1 + r.nextInt(3650)).toMillis();
                    default -> Duration.ofDays(365L * (100 + r.nextInt(5000))).toMillis();
                };
                yield encode(valid(r, id, now).setCreatedAt(now.plusMillis(aheadMs)).build());
            }
            case PAST_CREATED_AT -> encode(valid(r, id, now).setCreatedAt(switch (r.nextInt(3)) {
                case 0 -> now.minus(Duration.ofDays(1 + r.nextInt(30)));
                case 1 -> now.minus(Duration.ofDays(365L * (1 + r.nextInt(50))));
                default -> Instant.EPOCH;
            }).build());
            case DUPLICATE_ID -> {
                if (sentIds.isEmpty()) {
                    throw new IllegalStateException("a duplicate needs a prompt of the run sent before it");
                }
                id = sentIds.get(r.nextInt(sentIds.size()));
                yield encode(valid(r, id, now).build());
            }
            case OVER_INLINE_LIMIT -> encode(valid(r, id, now).setContent(InlineContent.newBuilder()
                    .setMediaType("application/octet-stream").setData(ByteBuffer.wrap(randomBytes(r,
                            dev.edgeweave.schemas.topic.Topics.INLINE_CONTENT_LIMIT + 1 + r.nextInt(64 * 1024))))
                    .build()).build());
            case NEAR_BROKER_LIMIT -> {
                // Under the limit by the record's key, headers and batch overhead (well under 1 KiB), and a margin.
                int size = brokerLimitBytes - 4096 - r.nextInt(16 * 1024);
                if (r.nextBoolean()) {
                    yield randomBytes(r, size);
                }
                Prompt.Builder b = valid(r, id, now);
                int envelope = encode(b.build()).length;
                yield encode(b.setContent(InlineContent.newBuilder().setMediaType("image/jpeg")
                        .setData(ByteBuffer.wrap(randomBytes(r, size - envelope - 32))).build()).build());
            }
        };
        RecordHeaders h = new RecordHeaders();
        h.add(FUZZ_ID, p.fuzzId().getBytes(StandardCharsets.UTF_8));
        h.add(FUZZ_CATEGORY, p.category().name().getBytes(StandardCharsets.UTF_8));
        return new Input(p, id, value, h);
    }

    /** A prompt every reader accepts: a model of the catalog, sizes within its limits, a short inline text. */
    Prompt.Builder valid(SplittableRandom r, String id, Instant now) {
        ModelSpec m = models.get(r.nextInt(models.size()));
        ModelLimits l = m.limits();
        int images = Math.min(1, l.maxImages());
        PromptSizes sizes = PromptSizes.newBuilder()
                .setInputTokens(Math.min(1 + r.nextInt(200), l.maxInputTokens()))
                .setImages(images).setImagePixels(images > 0 ? Math.min(512L * 512, l.maxImagePixels()) : 0)
                .setAudioSeconds(Math.min(1 + r.nextInt(20), l.maxAudioSeconds()))
                .setOutputTokens(Math.min(1 + r.nextInt(100), l.maxOutputTokens()))
                .setSteps(Math.min(1 + r.nextInt(4), l.maxSteps()))
                .setOutputPixels(Math.min(512L * 512, l.maxOutputPixels()))
                .setInputBytes(16).build();
        return Prompt.newBuilder().setPromptId(id).setModelId(m.id()).setUserId("user-fuzz-" + r.nextInt(50))
                .setAccessPointId("ap-fuzz").setSloSeconds(30).setCreatedAt(now).setSizes(sizes)
                .setContent(InlineContent.newBuilder().setMediaType("text/plain")
                        .setData(ByteBuffer.wrap("fuzz prompt".getBytes(StandardCharsets.UTF_8))).build());
    }

    private static Prompt.Builder negative(SplittableRandom r, Prompt.Builder b) {
        PromptSizes.Builder s = PromptSizes.newBuilder(b.getSizes());
        switch (r.nextInt(10)) {
            case 0 -> s.setInputTokens(-1 - r.nextInt(Integer.MAX_VALUE));
            case 1 -> s.setImages(-1 - r.nextInt(100));
            case 2 -> s.setImagePixels(-1 - r.nextLong(Long.MAX_VALUE));
            case 3 -> s.setAudioSeconds(r.nextBoolean() ? -1 - r.nextDouble() * 1e6 : Double.NaN);
            case 4 -> s.setOutputTokens(Integer.MIN_VALUE + r.nextInt(1000));
            case 5 -> s.setSteps(-1 - r.nextInt(1000));
            case 6 -> s.setOutputPixels(Long.MIN_VALUE);
            case 7 -> s.setInputBytes(-1 - r.nextLong(Long.MAX_VALUE));
            case 8 -> {
                return b.setSloSeconds(r.nextBoolean() ? -r.nextDouble() * 100 : 0);
            }
            default -> {
                return b.setSloSeconds(r.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY);
            }
        }
        return b.setSizes(s.build());
    }

    private Prompt.Builder huge(SplittableRandom r, Prompt.Builder b) {
        PromptSizes.Builder s = PromptSizes.newBuilder(b.getSizes());
        ModelLimits l = catalog.find(b.getModelId()).orElseThrow().limits();
        switch (r.nextInt(7)) {
            case 0 -> s.setInputTokens(Integer.MAX_VALUE - r.nextInt(1000));
            case 1 -> s.setImages(Math.max(l.maxImages(), 1) * 1000 + r.nextInt(1000)).setImagePixels(1024L * 1024);
            case 2 -> s.setImages(1).setImagePixels(Long.MAX_VALUE - r.nextInt(1000));
            case 3 -> s.setAudioSeconds(r.nextBoolean() ? 1e12 : Double.POSITIVE_INFINITY);
            case 4 -> s.setOutputTokens(Integer.MAX_VALUE);
            case 5 -> s.setSteps(1_000_000 + r.nextInt(Integer.MAX_VALUE - 1_000_000));
            default -> s.setOutputPixels(Long.MAX_VALUE);
        }
        return b.setSizes(s.build());
    }

    /**
     * The prompt as a writer of the next major version would send it: the same fields in the
     * {@code dev.edgeweave.v2} namespace plus one more ({@code priority}, an int), single-object encoded with that
     * schema's fingerprint, which no v1 reader knows.
     */
    static byte[] newerMajor(Prompt p, int priority) {
        Schema v2 = newerMajorSchema();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        long fp = EdgeweaveSchemas.fingerprint(v2);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fp >>> (8 * i)) & 0xFF);
        }
        try {
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<Prompt>(Prompt.getClassSchema()).write(p, e); // v2's first fields: v1's, in order
            e.writeInt(priority);
            e.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code Prompt} of the next major version: v1's schema in namespace v2, with a field {@code priority}. */
    static Schema newerMajorSchema() {
        String json = Prompt.getClassSchema().toString().replace("dev.edgeweave.v1", "dev.edgeweave.v2");
        Schema moved = new Schema.Parser().parse(json);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : moved.getFields()) {
            fields.add(new Schema.Field(f.name(), f.schema(), f.doc(), f.defaultVal()));
        }
        fields.add(new Schema.Field("priority", Schema.create(Schema.Type.INT), "0 to 9", 0));
        return Schema.createRecord(moved.getName(), moved.getDoc(), moved.getNamespace(), false, fields);
    }

    private static byte[] encode(Prompt p) {
        return AvroCodec.of(Prompt.class).encode(p);
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long x = r.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                b[i + j] = (byte) (x >>> (8 * j));
            }
        }
        return b;
    }
}
