package dev.edgeweave.testbed.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.PromptValidator;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/**
 * One JSON object per line into a {@link Prompt} (DESIGN.md, "Records": {@code ./edgeweave produce}). Field
 * names are the {@code Prompt} record's; {@code promptId} defaults to a fresh UUID, {@code createdAt} (ISO-8601)
 * to now, {@code sloSeconds} to 30; {@code sizes} takes the {@code PromptSizes} fields; {@code content} is
 * {@code {"text": "..."}}, {@code {"base64": "...", "mediaType": "image/png"}} or {@code {"uri": "...",
 * "mediaType": "...", "sizeBytes": N}}. An unknown field, a missing model, sizes beyond the model's limits, or
 * content over the 256 KiB inline limit is refused with the field named; the prompt is then validated as the
 * scheduler will validate it.
 */
final class PromptLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("promptId", "modelId", "userId", "accessPointId", "sloSeconds",
            "createdAt", "sizes", "content");
    private static final Set<String> SIZE_FIELDS = Set.of("inputTokens", "images", "imagePixels", "audioSeconds",
            "outputTokens", "steps", "outputPixels", "inputBytes");

    private final PromptValidator validator;
    private final Clock clock;

    PromptLines(ModelCatalog catalog, Clock clock) {
        this.validator = new PromptValidator(catalog, clock);
        this.clock = clock;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    Prompt parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; a prompt has " + FIELDS);
            }
        }
        String model = text(n, "modelId", null);
        if (model == null) {
            throw new IllegalArgumentException("modelId is missing");
        }
        Instant created;
        try {
            created = n.has("createdAt") ? Instant.parse(n.get("createdAt").asText()) : clock.instant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt is not an ISO-8601 instant like 2026-11-27T08:00:00Z");
        }
        Object content = content(n.get("content"));
        Prompt p = Prompt.newBuilder().setPromptId(text(n, "promptId", UUID.randomUUID().toString()))
                .setModelId(model).setUserId(text(n, "userId", "anonymous"))
                .setAccessPointId(text(n, "accessPointId", "ap-unknown"))
                .setSloSeconds(n.has("sloSeconds") ? n.get("sloSeconds").asDouble() : 30)
                .setCreatedAt(created).setSizes(sizes(n.get("sizes"), contentBytes(content)))
                .setContent(content).build();
        try {
            validator.validate(p);
        } catch (InvalidRecordException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return p;
    }

    /** The bytes the content puts on the wire: the input's size when the line does not give inputBytes. */
    private static long contentBytes(Object content) {
        return content instanceof InlineContent i ? i.getData().remaining() : ((ContentReference) content).getSizeBytes();
    }

    private static PromptSizes sizes(JsonNode s, long contentBytes) {
        PromptSizes.Builder b = PromptSizes.newBuilder();
        if (s == null) {
            throw new IllegalArgumentException("sizes is missing: give at least inputTokens and outputTokens (chat), "
                    + "images and imagePixels (vision), steps and outputPixels (images), or audioSeconds (speech)");
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SIZE_FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field 'sizes." + f + "'; sizes has " + SIZE_FIELDS);
            }
        }
        b.setInputTokens(s.path("inputTokens").asInt(0));
        b.setImages(s.path("images").asInt(0)).setImagePixels(s.path("imagePixels").asLong(0))
                .setAudioSeconds(s.path("audioSeconds").asDouble(0)).setOutputTokens(s.path("outputTokens").asInt(0))
                .setSteps(s.path("steps").asInt(0)).setOutputPixels(s.path("outputPixels").asLong(0));
        b.setInputBytes(s.has("inputBytes") ? s.get("inputBytes").asLong() : contentBytes);
        return b.build();
    }

    private static Object content(JsonNode c) {
        if (c == null) {
            throw new IllegalArgumentException("content is missing: {\"text\": ...}, {\"base64\": ..., \"mediaType\": "
                    + "...} or {\"uri\": ..., \"mediaType\": ..., \"sizeBytes\": ...}");
        }
        byte[] data;
        String mediaType;
        if (c.has("text")) {
            data = c.get("text").asText().getBytes(StandardCharsets.UTF_8);
            mediaType = text(c, "mediaType", "text/plain; charset=utf-8");
        } else if (c.has("base64")) {
            try {
                data = Base64.getDecoder().decode(c.get("base64").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("content.base64 is not base64: " + e.getMessage());
            }
            mediaType = text(c, "mediaType", null);
            if (mediaType == null) {
                throw new IllegalArgumentException("content.mediaType is missing for base64 content");
            }
        } else if (c.has("uri")) {
            return ContentReference.newBuilder().setUri(c.get("uri").asText())
                    .setMediaType(text(c, "mediaType", "application/octet-stream"))
                    .setSizeBytes(c.path("sizeBytes").asLong(0)).setSha256(text(c, "sha256", null)).build();
        } else {
            throw new IllegalArgumentException("content needs text, base64 or uri");
        }
        if (data.length > Topics.INLINE_CONTENT_LIMIT) {
            throw new IllegalArgumentException("content of " + data.length + " bytes is over the inline limit of "
                    + Topics.INLINE_CONTENT_LIMIT + " bytes: store it elsewhere and give its uri");
        }
        return InlineContent.newBuilder().setMediaType(mediaType).setData(ByteBuffer.wrap(data)).build();
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }
}
