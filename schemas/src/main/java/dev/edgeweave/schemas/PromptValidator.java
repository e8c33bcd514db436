package dev.edgeweave.schemas;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelLimits;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether a decoded {@link Prompt} can be accepted (DESIGN.md, "Records"): ids present, a model of
 * the catalog, a positive SLO, created at most an hour ahead of the city clock, every size non-negative and
 * within the model's limits, content inline up to 256 KiB or by a well-formed reference. A prompt that
 * fails gets one {@link InvalidRecordException} naming the first offending field by its path
 * ({@code sizes.inputTokens}, {@code content.data}, ...). Messages carry sizes and ids, never content.
 *
 * <p>Stateless and thread-safe; the clock is the city clock of the component that validates.
 */
public final class PromptValidator {

    /** How far ahead of the reader's clock a prompt's created-at may be (clock skew between devices). */
    public static final Duration MAX_CREATED_AHEAD = Duration.ofHours(1);
    /** Longest id accepted for prompt, user and access point ids. */
    public static final int MAX_ID_LENGTH = 200;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final ModelCatalog catalog;
    private final Clock clock;

    public PromptValidator(ModelCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Validates {@code prompt}.
     *
     * @return the prompt with its model and sizes, ready for routing
     * @throws InvalidRecordException naming the first field that is wrong
     */
    public ValidatedPrompt validate(Prompt prompt) {
        return validate(prompt, clock.instant());
    }

    /**
     * Validates {@code prompt} as {@link #validate(Prompt)} does, against {@code now} rather than the clock: a
     * reader that sees prompts after the fact (the planner) judges each by when it was produced.
     *
     * @throws InvalidRecordException naming the first field that is wrong
     */
    public ValidatedPrompt validate(Prompt prompt, Instant now) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(now, "now");
        requireId("promptId", prompt.getPromptId());
        requireId("modelId", prompt.getModelId());
        requireId("userId", prompt.getUserId());
        requireId("accessPointId", prompt.getAccessPointId());
        ModelSpec model = catalog.find(prompt.getModelId()).orElseThrow(() -> InvalidRecordException.invalidField(
                "modelId", "unknown model '" + prompt.getModelId() + "'; the catalog has "
                        + catalog.models().stream().map(ModelSpec::id).toList()));

        double slo = prompt.getSloSeconds();
        if (!(slo > 0) || Double.isInfinite(slo)) {
            throw InvalidRecordException.invalidField("sloSeconds", "must be a finite number > 0, was " + slo);
        }
        Instant createdAt = prompt.getCreatedAt();
        if (createdAt == null) {
            throw InvalidRecordException.invalidField("createdAt", "missing");
        }
        Instant latest = now.plus(MAX_CREATED_AHEAD);
        if (createdAt.isAfter(latest)) {
            throw InvalidRecordException.invalidField("createdAt", "is " + createdAt + ", more than "
                    + MAX_CREATED_AHEAD.toMinutes() + " minutes ahead of the clock (" + now + ")");
        }

        PromptSize size = toSize(prompt.getSizes());
        List<ModelLimits.Violation> over = model.limits().violations(size);
        if (!over.isEmpty()) {
            ModelLimits.Violation v = over.get(0);
            throw InvalidRecordException.invalidField("sizes." + v.field(),
                    v + " (model " + model.id() + ")");
        }
        validateContent(prompt.getContent());
        long deadlineMillis = createdAt.toEpochMilli() + Math.round(slo * 1000.0);
        return new ValidatedPrompt(prompt, model, size, Instant.ofEpochMilli(deadlineMillis));
    }

    /** The core sizes of {@code sizes}, refusing negative or non-finite values by field path. */
    public static PromptSize toSize(PromptSizes sizes) {
        if (sizes == null) {
            throw InvalidRecordException.invalidField("sizes", "missing");
        }
        nonNegative("sizes.inputTokens", sizes.getInputTokens());
        nonNegative("sizes.images", sizes.getImages());
        nonNegative("sizes.imagePixels", sizes.getImagePixels());
        double audio = sizes.getAudioSeconds();
        if (!(audio >= 0) || Double.isInfinite(audio)) {
            throw InvalidRecordException.invalidField("sizes.audioSeconds", "must be a finite number >= 0, was " + audio);
        }
        nonNegative("sizes.outputTokens", sizes.getOutputTokens());
        nonNegative("sizes.steps", sizes.getSteps());
        nonNegative("sizes.outputPixels", sizes.getOutputPixels());
        nonNegative("sizes.inputBytes", sizes.getInputBytes());
        if (sizes.getImages() > 0 && sizes.getImagePixels() == 0) {
            throw InvalidRecordException.invalidField("sizes.imagePixels", "must be > 0 when images > 0");
        }
        return new PromptSize(sizes.getInputTokens(), sizes.getImages(), sizes.getImagePixels(), audio,
                sizes.getOutputTokens(), sizes.getSteps(), sizes.getOutputPixels(), sizes.getInputBytes());
    }

    private static void validateContent(Object content) {
        if (content instanceof InlineContent inline) {
            requireText("content.mediaType", inline.getMediaType());
            if (inline.getData() == null) {
                throw InvalidRecordException.invalidField("content.data", "missing");
            }
            int length = inline.getData().remaining();
            if (length > Topics.INLINE_CONTENT_LIMIT) {
                throw InvalidRecordException.invalidField("content.data", "inline content is " + length
                        + " bytes, over the " + Topics.INLINE_CONTENT_LIMIT
                        + "-byte inline limit: send it by reference (ContentReference)");
            }
        } else if (content instanceof ContentReference ref) {
            requireText("content.mediaType", ref.getMediaType());
            requireText("content.uri", ref.getUri());
            try {
                URI uri = new URI(ref.getUri());
                if (!uri.isAbsolute()) {
                    throw InvalidRecordException.invalidField("content.uri", "must be an absolute URI with a scheme");
                }
            } catch (URISyntaxException e) {
                throw InvalidRecordException.invalidField("content.uri", "not a URI (" + e.getReason() + ")");
            }
            nonNegative("content.sizeBytes", ref.getSizeBytes());
            if (ref.getSha256() != null && !SHA256_HEX.matcher(ref.getSha256()).matches()) {
                throw InvalidRecordException.invalidField("content.sha256", "must be 64 hex digits");
            }
        } else {
            throw InvalidRecordException.invalidField("content", "missing");
        }
    }

    private static void requireId(String field, String value) {
        requireText(field, value);
        if (value.length() > MAX_ID_LENGTH) {
            throw InvalidRecordException.invalidField(field,
                    "is " + value.length() + " characters, longer than " + MAX_ID_LENGTH);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw InvalidRecordException.invalidField(field, "missing or blank");
        }
    }

    private static void nonNegative(String field, long value) {
        if (value < 0) {
            throw InvalidRecordException.invalidField(field, "must be >= 0, was " + value);
        }
    }
}
