package dev.edgeweave.core.model;

/**
 * The kind of work a model does. A prompt's class follows from the model it names; fairness is measured
 * across classes. The names match the {@code dev.edgeweave.v1.ModelClass} Avro enum symbol for symbol.
 */
public enum ModelClass {
    CHAT,
    VISION_LANGUAGE,
    IMAGE_GENERATION,
    SPEECH_RECOGNITION,
    SPEECH_SYNTHESIS
}
