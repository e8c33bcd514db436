package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelLimits;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fields of {@link dev.edgeweave.core.model.PromptSize} a scenario draws from distributions, with their
 * name in the file, the classes that use them and the model limit that bounds them. {@code inputBytes} is not
 * here: it follows from the others and the scenario's {@link Payload}.
 */
public enum SizeField {
    INPUT_TOKENS("inputTokens", true, false,
            EnumSet.of(ModelClass.CHAT, ModelClass.VISION_LANGUAGE, ModelClass.IMAGE_GENERATION, ModelClass.SPEECH_SYNTHESIS)),
    IMAGES("images", true, false, EnumSet.of(ModelClass.VISION_LANGUAGE)),
    IMAGE_PIXELS("imagePixels", true, true, EnumSet.of(ModelClass.VISION_LANGUAGE)),
    AUDIO_SECONDS("audioSeconds", false, false, EnumSet.of(ModelClass.SPEECH_RECOGNITION)),
    OUTPUT_TOKENS("outputTokens", true, false, EnumSet.of(ModelClass.CHAT, ModelClass.VISION_LANGUAGE)),
    STEPS("steps", true, false, EnumSet.of(ModelClass.IMAGE_GENERATION)),
    OUTPUT_PIXELS("outputPixels", true, true, EnumSet.of(ModelClass.IMAGE_GENERATION));

    private final String yamlName;
    private final boolean integer;
    private final boolean pixels;
    private final Set<ModelClass> usedBy;

    SizeField(String yamlName, boolean integer, boolean pixels, Set<ModelClass> usedBy) {
        this.yamlName = yamlName;
        this.integer = integer;
        this.pixels = pixels;
        this.usedBy = usedBy;
    }

    /** The field's name in a scenario file (and in {@code PromptSize}). */
    public String yamlName() {
        return yamlName;
    }

    /** True when drawn values are rounded to whole numbers. */
    public boolean integer() {
        return integer;
    }

    /** True when values may be written {@code WIDTHxHEIGHT}. */
    public boolean pixels() {
        return pixels;
    }

    /** Whether prompts of {@code modelClass} carry this size. */
    public boolean usedBy(ModelClass modelClass) {
        return usedBy.contains(modelClass);
    }

    /** The largest value a model with {@code limits} accepts. */
    public double limit(ModelLimits limits) {
        switch (this) {
            case INPUT_TOKENS: return limits.maxInputTokens();
            case IMAGES: return limits.maxImages();
            case IMAGE_PIXELS: return limits.maxImagePixels();
            case AUDIO_SECONDS: return limits.maxAudioSeconds();
            case OUTPUT_TOKENS: return limits.maxOutputTokens();
            case STEPS: return limits.maxSteps();
            case OUTPUT_PIXELS: return limits.maxOutputPixels();
            default: throw new AssertionError(this);
        }
    }

    /** The fields a class's prompts must be given (the others of the class default to the model's default). */
    public static Set<SizeField> requiredFor(ModelClass modelClass) {
        switch (modelClass) {
            case VISION_LANGUAGE: return EnumSet.of(INPUT_TOKENS, IMAGES, IMAGE_PIXELS);
            case IMAGE_GENERATION: return EnumSet.of(INPUT_TOKENS);
            case SPEECH_RECOGNITION: return EnumSet.of(AUDIO_SECONDS);
            case SPEECH_SYNTHESIS: return EnumSet.of(INPUT_TOKENS);
            default: return EnumSet.noneOf(SizeField.class);  // chat: the trace gives both token counts
        }
    }

    public static SizeField byYamlName(String name) {
        for (SizeField f : values()) {
            if (f.yamlName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
