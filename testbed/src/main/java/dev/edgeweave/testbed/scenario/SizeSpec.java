package dev.edgeweave.testbed.scenario;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The size distributions of one model's prompts: a class's defaults with the model's own overrides applied.
 * A field without a distribution is 0, which the latency laws read as "the model's default" for output tokens,
 * steps and output pixels.
 */
public record SizeSpec(Map<SizeField, Distribution> fields) {

    public static final SizeSpec EMPTY = new SizeSpec(Map.of());

    public SizeSpec {
        EnumMap<SizeField, Distribution> copy = new EnumMap<>(SizeField.class);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
    }

    /** The distribution of {@code field}, or null when the field is left at 0. */
    public Distribution get(SizeField field) {
        return fields.get(field);
    }

    /** These fields, each replaced by {@code overrides}' where it has one. */
    public SizeSpec overriddenBy(SizeSpec overrides) {
        EnumMap<SizeField, Distribution> merged = new EnumMap<>(SizeField.class);
        merged.putAll(fields);
        merged.putAll(overrides.fields);
        return new SizeSpec(merged);
    }
}
