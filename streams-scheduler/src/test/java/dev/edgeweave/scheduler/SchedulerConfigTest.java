package dev.edgeweave.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The app's configuration: defaults, the environment over them, the Kafka properties, clear errors. */
class SchedulerConfigTest {

    private static Settings settings(Map<String, String> environment) {
        return Settings.load(SchedulerConfig.DEFAULTS, Optional.empty(), environment, SchedulerConfig.ENV_PREFIX);
    }

    @Test
    void theDefaultsAreTheTopologysDefaults() {
        SchedulerConfig c = SchedulerConfig.from(settings(Map.of()));
        assertEquals(SchedulerSettings.DEFAULTS, c.scheduler());
        assertEquals("localhost:9092", c.bootstrap());
        assertEquals("edgeweave-scheduler", c.applicationId());
        assertEquals(Duration.ofMillis(100), c.commitInterval());
        assertEquals(Set.of(), c.nodes());
        assertEquals(1.0, c.citySpeedup());
        assertEquals(Optional.empty(), c.cityStart());
        assertEquals(8081, c.httpPort());
        assertEquals(Optional.empty(), c.stateDir());
        assertEquals(SchedulerConfig.DEFAULTS.keySet().size(), SchedulerConfig.KEYS.size());
    }

    @Test
    void theEnvironmentOverridesTheDefaults() {
        SchedulerConfig c = SchedulerConfig.from(settings(Map.of(
                "EDGEWEAVE_KAFKA_BOOTSTRAP", "broker-1:9092,broker-2:9092",
                "EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS", "5",
                "EDGEWEAVE_SCHEDULER_NODES", "edge-1, edge-2,,",
                "EDGEWEAVE_SCHEDULER_CITY_SPEEDUP", "10",
                "EDGEWEAVE_SCHEDULER_CITY_START", "2026-11-27T08:00:00Z",
                "EDGEWEAVE_SCHEDULER_SCAN_INTERVAL", "2s")));
        assertEquals("broker-1:9092,broker-2:9092", c.bootstrap());
        assertEquals(5, c.scheduler().maxAttempts());
        assertEquals(Set.of("edge-1", "edge-2"), c.nodes());
        assertEquals(Optional.of(Instant.parse("2026-11-27T08:00:00Z")), c.cityStart());
        assertEquals(Duration.ofMillis(200), c.scheduler().punctuateEvery(), "2 city seconds at 10x: 200 ms of wall time");
        assertEquals(10.0, c.cityClock().speedup());
    }

    @Test
    void streamsPropertiesFixExactlyOnceAndPassKafkaSettingsThrough() {
        Properties p = SchedulerApp.streamsProperties(settings(Map.of(
                "EDGEWEAVE_KAFKA_BOOTSTRAP", "broker:9093",
                "EDGEWEAVE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "EDGEWEAVE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "EDGEWEAVE_SCHEDULER_COMMIT_INTERVAL", "50ms",
                "EDGEWEAVE_SCHEDULER_STATE_DIR", "/var/lib/scheduler")));
        assertEquals("broker:9093", p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("edgeweave-scheduler", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("50", p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals("/var/lib/scheduler", p.get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(ProductionFailureHandler.class.getName(),
                p.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertTrue(p.getProperty("sasl.jaas.config").startsWith("org.apache.kafka.common.security.scram"));
        assertFalse(p.containsKey("bootstrap"), "kafka.bootstrap is bootstrap.servers, not passed through as is");
    }

    @Test
    void aScramUserAndThePasswordFromTheEnvironmentReachKafkaStreams() {
        Properties p = SchedulerApp.streamsProperties(settings(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave",
                "EDGEWEAVE_KAFKA_SASL_PASSWORD", "pw-123")));
        assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"edgeweave\" "
                + "password=\"pw-123\";", p.get("sasl.jaas.config"));
        assertFalse(p.containsKey("sasl.username") || p.containsKey("sasl.password"), p.toString());
        SettingsException e = assertThrows(SettingsException.class, () -> SchedulerApp.streamsProperties(
                settings(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave"))));
        assertTrue(e.getMessage().contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"), e.getMessage());
    }

    @Test
    void aPassThroughMayNotOverrideWhatTheSchedulerFixes() {
        SettingsException e = assertThrows(SettingsException.class, () -> SchedulerApp.streamsProperties(
                settings(Map.of("EDGEWEAVE_KAFKA_PROCESSING_GUARANTEE", "at_least_once"))));
        assertTrue(e.getMessage().contains("kafka.processing.guarantee"), e.getMessage());
        assertTrue(e.getMessage().contains("EDGEWEAVE_KAFKA_PROCESSING_GUARANTEE"), e.getMessage());
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndItsSource() {
        SettingsException e = assertThrows(SettingsException.class, () -> SchedulerConfig.from(
                settings(Map.of("EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS", "zero"))));
        assertTrue(e.getMessage().contains("scheduler.max.attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("'zero'"), e.getMessage());
        assertTrue(e.getMessage().contains("EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS"), e.getMessage());

        for (Map<String, String> bad : List.of(
                Map.of("EDGEWEAVE_SCHEDULER_COMMIT_INTERVAL", "100"),        // a bare number: which unit?
                Map.of("EDGEWEAVE_SCHEDULER_COMMIT_INTERVAL", "0s"),
                Map.of("EDGEWEAVE_SCHEDULER_CITY_SPEEDUP", "0"),
                Map.of("EDGEWEAVE_SCHEDULER_CITY_START", "yesterday"),
                Map.of("EDGEWEAVE_SCHEDULER_HTTP_PORT", "70000"),
                Map.of("EDGEWEAVE_SCHEDULER_NODES", "edge.1"),
                Map.of("EDGEWEAVE_SCHEDULER_APPLICATION_ID", "my scheduler"),
                Map.of("EDGEWEAVE_SCHEDULER_ATTEMPT_TIMEOUT_FACTOR", "0.5"),
                Map.of("EDGEWEAVE_KAFKA_BOOTSTRAP", " "))) {
            String variable = bad.keySet().iterator().next();
            SettingsException error = assertThrows(SettingsException.class,
                    () -> SchedulerApp.streamsProperties(settings(bad)), variable);
            assertTrue(error.getMessage().contains(variable), error.getMessage());
        }
    }

    @Test
    void kafkaRefusesABadPassThroughAtStart() {
        assertThrows(org.apache.kafka.common.config.ConfigException.class, () -> SchedulerApp.streamsProperties(
                settings(Map.of("EDGEWEAVE_KAFKA_NUM_STREAM_THREADS", "many"))));
    }

    @Test
    void theUsageListsEveryKeyWithItsVariable() {
        String usage = SchedulerApp.usage();
        for (dev.edgeweave.config.SettingKey k : SchedulerConfig.KEYS) {
            assertTrue(usage.contains(k.name()), k.name());
        }
        assertTrue(usage.contains("EDGEWEAVE_SCHEDULER_COMMIT_INTERVAL"));
    }

    @Test
    void theTopicsAreTheContractsUnderTheGivenNames() {
        SchedulerTopology.Names names = new SchedulerTopology.Names("p", "r", "c", "j", "d", "n", "t", "y");
        var topics = SchedulerApp.topics(names);
        assertEquals(List.of("p", "r", "c", "j", "d", "n", "t", "y"),
                topics.stream().map(dev.edgeweave.schemas.topic.Topic::name).toList());
        assertEquals(dev.edgeweave.schemas.topic.Topics.PROMPTS.partitions(), topics.get(0).partitions());
        assertTrue(topics.get(5).compacted(), "node-state is compacted");
        assertEquals(SchedulerApp.topics(SchedulerTopology.Names.standard()).stream()
                        .map(dev.edgeweave.schemas.topic.Topic::name).toList(),
                List.of("prompts", "node-results", "prompt-completions", "prompt-rejections",
                        "prompts-dlq", "node-state", "network-telemetry", "routing-policy"));
    }
}
