package dev.edgeweave.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration key of a component: its name, its default in code, and what it means. A component lists
 * its keys once; the list gives the defaults {@link Settings} loads over and the {@code --help} text, so the
 * two cannot disagree.
 *
 * @param name         dotted lower-case key, e.g. {@code connector.node.id}
 * @param defaultValue the default in code; empty for "unset"
 * @param meaning      one or two sentences for {@code --help} and the README
 */
public record SettingKey(String name, String defaultValue, String meaning) {

    public SettingKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue of " + name);
        Objects.requireNonNull(meaning, "meaning of " + name);
    }

    /** The defaults in code of {@code keys}, in their order, for {@link Settings#load} and {@link Settings#fromSystem}. */
    public static Map<String, String> defaults(List<SettingKey> keys) {
        Map<String, String> map = new LinkedHashMap<>();
        for (SettingKey k : keys) {
            if (map.put(k.name(), k.defaultValue()) != null) {
                throw new IllegalArgumentException("key '" + k.name() + "' is listed twice");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Every key with its environment variable, default and meaning, two lines each, for {@code --help}. */
    public static String describe(List<SettingKey> keys, String envPrefix) {
        Settings naming = Settings.load(Map.of(), Optional.empty(), Map.of(), envPrefix);
        StringBuilder sb = new StringBuilder();
        for (SettingKey k : keys) {
            sb.append("  ").append(k.name()).append(" (").append(naming.variableOf(k.name())).append(")  default: ")
                    .append(k.defaultValue().isEmpty() ? "(empty)" : k.defaultValue()).append('\n')
                    .append("      ").append(k.meaning()).append('\n');
        }
        return sb.toString();
    }
}
