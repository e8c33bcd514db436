package dev.edgeweave.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromptValidatorTest {

    private static final ModelCatalog CATALOG = ModelCatalog.standard();
    private static final ModelSpec CHAT = CATALOG.byClass(dev.edgeweave.core.model.ModelClass.CHAT).get(0);
    private static final ModelSpec VISION = CATALOG.byClass(dev.edgeweave.core.model.ModelClass.VISION_LANGUAGE).get(0);
    private static final Instant NOW = SampleRecords.T0.plusSeconds(5);
    private static final PromptValidator VALIDATOR =
            new PromptValidator(CATALOG, Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String SECRET = "describe the harbour at dusk";

    private static Prompt.Builder valid() {
        return SampleRecords.prompt("p-1", CHAT.id()).setContent(SampleRecords.text(SECRET));
    }

    private static PromptSizes.Builder sizes() {
        return PromptSizes.newBuilder(SampleRecords.textSizes(120, 80));
    }

    private static InlineContent inline(int bytes) {
        return InlineContent.newBuilder().setMediaType("application/octet-stream")
                .setData(ByteBuffer.wrap(new byte[bytes])).build();
    }

    static Stream<Arguments> invalidPrompts() {
        return Stream.of(
                bad("negative input tokens", "sizes.inputTokens", b -> b.setSizes(sizes().setInputTokens(-1).build())),
                bad("negative output tokens", "sizes.outputTokens", b -> b.setSizes(sizes().setOutputTokens(-5).build())),
                bad("negative input bytes", "sizes.inputBytes", b -> b.setSizes(sizes().setInputBytes(-1).build())),
                bad("negative images", "sizes.images", b -> b.setSizes(sizes().setImages(-2).build())),
                bad("NaN audio", "sizes.audioSeconds", b -> b.setSizes(sizes().setAudioSeconds(Double.NaN).build())),
                bad("unknown model", "modelId", b -> b.setModelId("gpt-9-ultra")),
                bad("blank prompt id", "promptId", b -> b.setPromptId(" ")),
                bad("over-long user id", "userId", b -> b.setUserId("u".repeat(201))),
                bad("blank access point", "accessPointId", b -> b.setAccessPointId("")),
                bad("zero SLO", "sloSeconds", b -> b.setSloSeconds(0)),
                bad("infinite SLO", "sloSeconds", b -> b.setSloSeconds(Double.POSITIVE_INFINITY)),
                bad("created 61 minutes ahead", "createdAt", b -> b.setCreatedAt(NOW.plusSeconds(61 * 60))),
                bad("inline content over 256 KiB", "content.data", b -> b.setContent(inline(256 * 1024 + 1))),
                bad("reference without scheme", "content.uri", b -> b.setContent(reference("bucket/key"))),
                bad("reference that is no URI", "content.uri", b -> b.setContent(reference("s3://a b"))),
                bad("bad digest", "content.sha256", b -> b.setContent(ContentReference.newBuilder(reference("s3://b/k"))
                        .setSha256("xyz").build())),
                bad("chat model given an image", "sizes.images", b -> b.setSizes(sizes().setImages(1)
                        .setImagePixels(512 * 512).build())),
                bad("images without pixels", "sizes.imagePixels", b -> b.setModelId(VISION.id())
                        .setSizes(sizes().setImages(1).setImagePixels(0).build())),
                bad("input over the model's context", "sizes.inputTokens", b -> b.setSizes(sizes()
                        .setInputTokens(CHAT.limits().maxInputTokens() + 1).build())),
                bad("output over the model's limit", "sizes.outputTokens", b -> b.setSizes(sizes()
                        .setOutputTokens(CHAT.limits().maxOutputTokens() + 1).build())));
    }

    private static Arguments bad(String name, String field, UnaryOperator<Prompt.Builder> change) {
        return Arguments.of(name, field, change.apply(valid()).build());
    }

    private static ContentReference reference(String uri) {
        return ContentReference.newBuilder().setUri(uri).setMediaType("image/jpeg").setSizeBytes(5_000_000).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPrompts")
    void invalidPromptsNameTheirField(String name, String field, Prompt prompt) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> VALIDATOR.validate(prompt));
        assertEquals(InvalidRecordException.Problem.INVALID_FIELD, e.problem());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "no content in errors");
    }

    @Test
    void aValidPromptCarriesItsModelSizesAndDeadline() {
        ValidatedPrompt v = VALIDATOR.validate(valid().build());
        assertEquals(CHAT, v.model());
        assertEquals(120, v.size().inputTokens());
        assertEquals(80, v.size().outputTokens());
        assertEquals(480, v.size().inputBytes());
        assertEquals(SampleRecords.T0.plusSeconds(20), v.deadline());
        assertEquals(dev.edgeweave.v1.ModelClass.CHAT, v.modelClass());
    }

    @Test
    void theLimitsAreInclusive() {
        VALIDATOR.validate(valid().setContent(inline(256 * 1024)).build());
        VALIDATOR.validate(valid().setCreatedAt(NOW.plusSeconds(3600)).build());
        VALIDATOR.validate(valid().setSizes(sizes().setInputTokens(CHAT.limits().maxInputTokens()).build()).build());
    }

    @Test
    void largeContentGoesByReference() {
        ValidatedPrompt v = VALIDATOR.validate(valid().setModelId(VISION.id())
                .setSizes(sizes().setImages(1).setImagePixels(1024 * 768).setInputBytes(5_000_000).build())
                .setContent(reference("s3://edgeweave-content/p-1.jpg")).build());
        assertEquals(5_000_000, v.size().inputBytes());
    }

    @Test
    void aPromptCreatedInThePastIsStillValidHere() {
        // Past its deadline is the scheduler's DEADLINE_EXCEEDED rejection, not an INVALID record.
        ValidatedPrompt v = VALIDATOR.validate(valid().setCreatedAt(NOW.minusSeconds(3600)).build());
        assertTrue(v.deadline().isBefore(NOW));
    }
}
