package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The planner counts as an arrival only what the scheduler accepts: the same validation, as of the record's time. */
class CityEventDecoderTest {

    static final ModelCatalog CATALOG = ModelCatalog.standard();
    static final ModelSpec CHAT = CATALOG.byClass(ModelClass.CHAT).get(0);
    static final Instant PRODUCED = Instant.parse("2026-05-01T12:00:00Z");
    static final AvroCodec<Prompt> CODEC = AvroCodec.of(Prompt.class);
    final CityEventDecoder decoder = new CityEventDecoder(CATALOG);

    static Prompt.Builder prompt() {
        return Prompt.newBuilder().setPromptId("p-1").setModelId(CHAT.id()).setUserId("user-7").setAccessPointId("ap-3")
                .setSloSeconds(20.0).setCreatedAt(PRODUCED.minusMillis(300))
                .setSizes(PromptSizes.newBuilder().setInputTokens(120).setOutputTokens(80).setInputBytes(480).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain")
                        .setData(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))).build());
    }

    CityEvent decode(Prompt p) {
        return decoder.decode(Topics.PROMPTS.name(), CODEC.encode(p), PRODUCED.toEpochMilli());
    }

    @Test
    void aValidPromptIsAnArrivalAtItsCreationTime() {
        CityEvent e = decode(prompt().build());
        assertEquals(CityEvent.Kind.ARRIVAL, e.kind);
        assertEquals(PRODUCED.minusMillis(300).toEpochMilli(), e.time);
        assertEquals(CHAT.id(), e.modelId);
        assertTrue(e.inferenceSeconds > 0);
    }

    @Test
    void whatTheSchedulerDeadLettersIsNoArrival() {
        // Sizes over the model's limit would ask the planner for capacity no prompt needs.
        InvalidRecordException huge = assertThrows(InvalidRecordException.class, () -> decode(prompt().setSizes(
                PromptSizes.newBuilder().setInputTokens(CHAT.limits().maxInputTokens() + 1).setOutputTokens(80)
                        .setInputBytes(480).build()).build()));
        assertTrue(huge.getMessage().contains("sizes.inputTokens"), huge.getMessage());
        // Created hours after it was produced: refused as of the record's time, whatever the reader's clock says.
        InvalidRecordException future = assertThrows(InvalidRecordException.class,
                () -> decode(prompt().setCreatedAt(PRODUCED.plus(Duration.ofHours(5))).build()));
        assertTrue(future.getMessage().contains("createdAt"), future.getMessage());
        assertThrows(InvalidRecordException.class, () -> decode(prompt().setModelId("gpt-9-ultra").build()));
        assertThrows(InvalidRecordException.class, () -> decode(prompt().setSloSeconds(-1).build()));
    }
}
