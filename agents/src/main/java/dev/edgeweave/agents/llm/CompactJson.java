package dev.edgeweave.agents.llm;

import java.util.Locale;

/**
 * Just enough JSON writing for the decisions an LLM brain stores in experience memory: one line, keys in a
 * fixed order, numbers with fixed decimals, so equal decisions are equal strings.
 */
final class CompactJson {

    private final StringBuilder out = new StringBuilder();
    private boolean needsComma;

    CompactJson begin() {
        comma();
        out.append('{');
        needsComma = false;
        return this;
    }

    CompactJson end() {
        out.append('}');
        needsComma = true;
        return this;
    }

    CompactJson beginObject(String key) {
        key(key);
        out.append('{');
        needsComma = false;
        return this;
    }

    CompactJson beginArray(String key) {
        key(key);
        out.append('[');
        needsComma = false;
        return this;
    }

    CompactJson endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    CompactJson field(String key, String value) {
        key(key);
        string(value);
        needsComma = true;
        return this;
    }

    CompactJson field(String key, int value) {
        key(key);
        out.append(value);
        needsComma = true;
        return this;
    }

    /** A number with three decimals, e.g. {@code 1.250}. */
    CompactJson field(String key, double value) {
        key(key);
        out.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null");
        needsComma = true;
        return this;
    }

    /** A string element of an array. */
    CompactJson element(String value) {
        comma();
        string(value);
        needsComma = true;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void key(String key) {
        comma();
        string(key);
        out.append(':');
    }

    private void comma() {
        if (needsComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
