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
}
