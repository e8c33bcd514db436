package dev.edgeweave.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import dev.edgeweave.core.gpu.GpuCatalog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    private static ConnectorConfig load(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        Settings s = Settings.load(ConnectorConfig.DEFAULTS, Optional.empty(), e, ConnectorConfig.ENV_PREFIX);
        return ConnectorConfig.from(s, GpuCatalog.standard());
    }

    private static String error(Map<String, String> env) {
        return assertThrows(SettingsException.class, () -> load(env)).getMessage();
    }

    @Test
    void environmentVariablesConfigureTheServer() {
        ConnectorConfig c = load(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "edge-7", "EDGEWEAVE_CONNECTOR_GPUS", "l4,l4",
                "EDGEWEAVE_CONNECTOR_CITY_SPEEDUP", "10", "EDGEWEAVE_CONNECTOR_PROBES", "ap-1=10.0.0.1:7",
                "EDGEWEAVE_CONNECTOR_LINKS_EMULATED", "ap-2=12.5/50/100"));
        assertEquals("edge-7", c.nodeId());
        assertEquals("edge-7", c.server().siteId(), "the site defaults to the node id");
        assertEquals(2, c.server().gpus().size());
        assertEquals(10.0, c.citySpeedup());
        assertEquals(Duration.ofSeconds(1), c.heartbeat());
        assertEquals("10.0.0.1:7", c.probes().get("ap-1"));
        assertEquals(new ConnectorConfig.EmulatedLink(12.5, 50, 100), c.emulatedLinks().get("ap-2"));
        assertEquals("emulated", c.runtime());
    }

    @Test
    void badValuesAreNamedWithTheirSource() {
        assertTrue(error(Map.of()).contains("'connector.node.id' = '' (from default) is empty"));
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "a.b")).contains("cannot name the server's topic"));
        String gpu = error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "e", "EDGEWEAVE_CONNECTOR_GPUS", "h200"));
        assertTrue(gpu.contains("names GPU 'h200', which the GPU catalog does not have")
                && gpu.contains("environment variable EDGEWEAVE_CONNECTOR_GPUS"), gpu);
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "e", "EDGEWEAVE_CONNECTOR_RUNTIME", "gpu"))
                .contains("is neither emulated nor http"));
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "e", "EDGEWEAVE_CONNECTOR_PROBES", "ap-1=host"))
                .contains("use host:port"));
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "e", "EDGEWEAVE_CONNECTOR_LINKS_EMULATED", "ap=1/0/3"))
                .contains("rates > 0"));
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "e", "EDGEWEAVE_CONNECTOR_HTTP_RUNTIME_LAUNCHER",
                "process")).contains("the process launcher needs a command"));
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "e", "EDGEWEAVE_CONNECTOR_HEARTBEAT_INTERVAL", "0s"))
                .contains("must be longer than zero"));
    }

    @Test
    void helpListsEveryKeyWithItsVariable() {
        String help = ConnectorMain.usage();
        for (var k : ConnectorConfig.KEYS) {
            assertTrue(help.contains(k.name()), k.name());
        }
        assertTrue(help.contains("EDGEWEAVE_CONNECTOR_NODE_ID"));
    }

    @Test
    void kafkaSettingsBecomeTheClientPropertiesOfItsProducerConsumersAndAdmin() {
        ConnectorConfig c = load(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "edge-7", "EDGEWEAVE_KAFKA_SASL_USERNAME", "u",
                "EDGEWEAVE_KAFKA_SASL_PASSWORD", "pw-123", "EDGEWEAVE_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips"));
        assertEquals("SASL_PLAINTEXT", c.kafka().properties().getProperty("security.protocol"));
        assertEquals("use_all_dns_ips", c.kafka().properties().getProperty("client.dns.lookup"));
        assertEquals(java.util.Optional.of("u"), c.kafka().username());
        assertEquals("PLAINTEXT", c.withKafka(dev.edgeweave.config.KafkaClientSettings.plaintext()).kafka()
                .securityProtocol());
        assertTrue(error(Map.of("EDGEWEAVE_CONNECTOR_NODE_ID", "edge-7", "EDGEWEAVE_KAFKA_SASL_USERNAME", "u"))
                .contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"));
        assertTrue(ConnectorMain.usage().contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"));
    }
}
