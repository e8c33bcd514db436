package dev.edgeweave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerConfigTest {

    private static PlannerConfig load(Map<String, String> env) {
        return PlannerConfig.from(Settings.load(PlannerConfig.DEFAULTS, Optional.empty(), env, PlannerConfig.ENV_PREFIX));
    }

    @Test
    void theDefaultsAreTheDesignsWindows() {
        PlannerConfig c = load(Map.of());
        assertEquals(PlannerSettings.DEFAULTS, c.settings());
        assertEquals(Duration.ofSeconds(10), c.checkpointInterval());
        assertEquals(Optional.empty(), c.checkpointDir());
    }

    @Test
    void aSlideThatDoesNotDivideTheWindowIsNamed() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> load(Map.of("EDGEWEAVE_PLANNER_LONG_SLIDE", "7m")));
        assertTrue(e.getMessage().contains("'planner.long.slide' = '7m' (from environment variable "
                + "EDGEWEAVE_PLANNER_LONG_SLIDE) does not divide planner.long.window"), e.getMessage());
        assertThrows(SettingsException.class, () -> load(Map.of("EDGEWEAVE_PLANNER_CHURN_LIMIT", "0")));
        assertTrue(PlannerMain.usage().contains("EDGEWEAVE_PLANNER_SHORT_WINDOW"));
    }

    @Test
    void kafkaSettingsBecomeTheClientPropertiesOfItsSourceSinkAndAdmin() {
        PlannerConfig c = load(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD", "pw-123",
                "EDGEWEAVE_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ts.p12"));
        assertEquals("SASL_SSL", c.kafka().securityProtocol());
        assertEquals("/etc/kafka/ts.p12", c.kafka().properties().getProperty("ssl.truststore.location"));
        SettingsException e = assertThrows(SettingsException.class,
                () -> load(Map.of("EDGEWEAVE_KAFKA_SASL_PASSWORD", "pw-123")));
        assertTrue(e.getMessage().contains("EDGEWEAVE_KAFKA_SASL_USERNAME"), e.getMessage());
        assertTrue(PlannerMain.usage().contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"));
    }
}
