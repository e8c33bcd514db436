package dev.edgeweave.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PromptLinesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    private final PromptLines lines = new PromptLines(ModelCatalog.standard(), Clock.fixed(NOW, ZoneOffset.UTC));

    private String error(String line) {
        return assertThrows(IllegalArgumentException.class, () -> lines.parse(line)).getMessage();
    }

    @Test
    void aChatLineWithDefaults() {
        Prompt p = lines.parse("{\"promptId\": \"p-1\", \"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": "
                + "{\"inputTokens\": 200, \"outputTokens\": 100}, \"content\": {\"text\": \"hello\"}}");
        assertEquals("p-1", p.getPromptId());
        assertEquals(NOW, p.getCreatedAt());
        assertEquals(30.0, p.getSloSeconds());
        InlineContent c = (InlineContent) p.getContent();
        assertEquals("hello", StandardCharsets.UTF_8.decode(c.getData()).toString());
        assertEquals(200, p.getSizes().getInputTokens());
    }

    @Test
    void base64AndReferenceContent() {
        Prompt img = lines.parse("{\"modelId\": \"qwen2.5-vl-7b\", \"sizes\": {\"inputTokens\": 20, \"images\": 1, "
                + "\"imagePixels\": 262144, \"outputTokens\": 50}, \"content\": {\"base64\": \"iVBORw0K\", "
                + "\"mediaType\": \"image/png\"}}");
        assertEquals("image/png", ((InlineContent) img.getContent()).getMediaType());
        assertTrue(img.getPromptId().length() > 10, "a fresh id");
        Prompt ref = lines.parse("{\"modelId\": \"whisper-large-v3\", \"sizes\": {\"audioSeconds\": 30}, "
                + "\"content\": {\"uri\": \"s3://bucket/a.wav\", \"mediaType\": \"audio/wav\", \"sizeBytes\": 960000}}");
        assertEquals("s3://bucket/a.wav", ((ContentReference) ref.getContent()).getUri());
    }

    @Test
    void badLinesNameWhatIsWrong() {
        assertTrue(error("not json").startsWith("not a JSON object"));
        assertTrue(error("{\"modelId\": \"x\", \"colour\": 1}").startsWith("unknown field 'colour'"));
        assertEquals("modelId is missing", error("{\"sizes\": {}}"));
        assertTrue(error("{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 10}, "
                + "\"content\": {\"base64\": \"%%%\", \"mediaType\": \"image/png\"}}").startsWith("content.base64 is not base64"));
        String big = "a".repeat(300 * 1024);
        assertTrue(error("{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 10}, \"content\": "
                + "{\"text\": \"" + big + "\"}}").contains("over the inline limit of 262144 bytes"));
        assertTrue(error("{\"modelId\": \"no-such-model\", \"sizes\": {\"inputTokens\": 10}, \"content\": "
                + "{\"text\": \"x\"}}").contains("no-such-model"));
        assertTrue(error("{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"tokens\": 10}, \"content\": "
                + "{\"text\": \"x\"}}").startsWith("unknown field 'sizes.tokens'"));
    }
}
