package dev.edgeweave.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingKeyTest {

    private static final List<SettingKey> KEYS = List.of(
            new SettingKey("node.id", "", "the server's id"),
            new SettingKey("node.speedup", "1", "city seconds per wall second"));

    @Test
    void defaultsKeepTheOrderAndTheValues() {
        Map<String, String> d = SettingKey.defaults(KEYS);
        assertEquals(List.of("node.id", "node.speedup"), List.copyOf(d.keySet()));
        assertEquals("1", d.get("node.speedup"));
    }

    @Test
    void aKeyListedTwiceIsRefused() {
        List<SettingKey> twice = List.of(KEYS.get(0), new SettingKey("node.id", "x", "again"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SettingKey.defaults(twice));
        assertEquals("key 'node.id' is listed twice", e.getMessage());
    }

    @Test
    void describeNamesTheVariableTheDefaultAndTheMeaning() {
        String help = SettingKey.describe(KEYS, "EDGEWEAVE");
        assertTrue(help.contains("node.id (EDGEWEAVE_NODE_ID)  default: (empty)"), help);
        assertTrue(help.contains("node.speedup (EDGEWEAVE_NODE_SPEEDUP)  default: 1"), help);
        assertTrue(help.contains("city seconds per wall second"), help);
    }

    @Test
    void positiveDurationAndInvalidNameTheKeyAndSource() {
        Settings s = Settings.load(Map.of("a.wait", "0s", "a.id", "x.y"), Optional.empty(), Map.of(), "EDGEWEAVE");
        SettingsException zero = assertThrows(SettingsException.class, () -> s.positiveDuration("a.wait"));
        assertEquals("setting 'a.wait' = '0s' (from default) must be longer than zero", zero.getMessage());
        assertEquals("setting 'a.id' = 'x.y' (from default) cannot name a topic", s.invalid("a.id", "cannot name a topic")
                .getMessage());
    }
}
