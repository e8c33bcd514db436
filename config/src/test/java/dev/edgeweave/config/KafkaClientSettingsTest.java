package dev.edgeweave.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    private static final String PASSWORD = "s3cr3t-pw-Zq";
    private static final Map<String, String> DEFAULTS = Map.of("kafka.bootstrap", "localhost:9092",
            "scheduler.max.attempts", "3");

    @TempDir
    Path dir;

    private static KafkaClientSettings client(Map<String, String> env) {
        return KafkaClientSettings.from(Settings.load(DEFAULTS, Optional.empty(), env, "EDGEWEAVE"));
    }

    private Settings withFile(String text, Map<String, String> env) throws IOException {
        Path file = dir.resolve("edgeweave.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return Settings.load(DEFAULTS, Optional.of(file), env, "EDGEWEAVE");
    }

    @Test
    void withoutKafkaSettingsItIsPlaintextAndEmpty() {
        KafkaClientSettings c = client(Map.of());
        assertTrue(c.properties().isEmpty(), c.properties().toString());
        assertEquals("PLAINTEXT", c.securityProtocol());
        assertEquals(Optional.empty(), c.mechanism());
        assertEquals(Optional.empty(), c.credentialsVariable());
        assertEquals("no authentication (PLAINTEXT)", c.identity());
        assertTrue(KafkaClientSettings.plaintext().properties().isEmpty());
    }

    @Test
    void everyKafkaKeyPassesThroughWithThePrefixStrippedButBootstrap() throws IOException {
        Settings s = withFile("kafka.linger.ms=5\nkafka.client.dns.lookup=use_all_dns_ips\n",
                Map.of("EDGEWEAVE_KAFKA_BOOTSTRAP", "b:9092", "EDGEWEAVE_KAFKA_REQUEST_TIMEOUT_MS", "7000"));
        Properties p = KafkaClientSettings.from(s).properties();
        assertEquals("5", p.getProperty("linger.ms"));
        assertEquals("use_all_dns_ips", p.getProperty("client.dns.lookup"));
        assertEquals("7000", p.getProperty("request.timeout.ms"));
        assertFalse(p.containsKey("bootstrap"), p.toString());
        assertFalse(p.containsKey("max.attempts"), "only kafka.* keys: " + p);
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void aUsernameAndThePasswordFromTheEnvironmentMakeAScramLogin() {
        KafkaClientSettings c = client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave",
                "EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD));
        Properties p = c.properties();
        assertEquals("SASL_PLAINTEXT", p.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.getProperty("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"edgeweave\" "
                + "password=\"" + PASSWORD + "\";", p.getProperty("sasl.jaas.config"));
        assertFalse(p.containsKey("sasl.username") || p.containsKey("sasl.password"), "not client properties: " + p);
        assertEquals(Optional.of("edgeweave"), c.username());
        assertEquals(Optional.of("SCRAM-SHA-512"), c.mechanism());
        assertEquals(Optional.of("EDGEWEAVE_KAFKA_SASL_PASSWORD"), c.credentialsVariable());
        assertEquals("user 'edgeweave' with SCRAM-SHA-512 over SASL_PLAINTEXT, password from environment variable "
                + "EDGEWEAVE_KAFKA_SASL_PASSWORD", c.identity());
    }

    @Test
    void aTruststoreMeansSaslOverTlsAndExplicitKeysWin() {
        Properties tls = client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD,
                "EDGEWEAVE_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12")).properties();
        assertEquals("SASL_SSL", tls.getProperty("security.protocol"));
        assertEquals("/etc/kafka/truststore.p12", tls.getProperty("ssl.truststore.location"));

        Properties explicit = client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD",
                PASSWORD, "EDGEWEAVE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "EDGEWEAVE_KAFKA_SASL_MECHANISM",
                "SCRAM-SHA-256")).properties();
        assertEquals("SASL_SSL", explicit.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-256", explicit.getProperty("sasl.mechanism"));
        assertTrue(explicit.getProperty("sasl.jaas.config").startsWith(KafkaClientSettings.SCRAM_MODULE + " required"));

        Properties plain = client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD",
                PASSWORD, "EDGEWEAVE_KAFKA_SASL_MECHANISM", "PLAIN")).properties();
        assertTrue(plain.getProperty("sasl.jaas.config").startsWith(KafkaClientSettings.PLAIN_MODULE + " required"));

        SettingsException e = assertThrows(SettingsException.class, () -> client(Map.of(
                "EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD,
                "EDGEWEAVE_KAFKA_SASL_MECHANISM", "OAUTHBEARER")));
        assertTrue(e.getMessage().contains("OAUTHBEARER") && e.getMessage().contains("EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG"),
                e.getMessage());
    }

    @Test
    void quotesAndBackslashesAreEscapedAndLineBreaksRefused() {
        String pw = "a\"b\\c d;e";
        String jaas = client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "o\"brien", "EDGEWEAVE_KAFKA_SASL_PASSWORD", pw))
                .properties().getProperty("sasl.jaas.config");
        assertEquals(KafkaClientSettings.SCRAM_MODULE + " required username=\"o\\\"brien\" password=\"a\\\"b\\\\c d;e\";",
                jaas);
        SettingsException e = assertThrows(SettingsException.class, () -> client(Map.of(
                "EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD", "line\nbreak")));
        assertTrue(e.getMessage().contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"), e.getMessage());
        assertFalse(e.getMessage().contains("line\nbreak"), "never the password: " + e.getMessage());
    }

    @Test
    void theUsernameAndThePasswordGoTogether() {
        SettingsException noPassword = assertThrows(SettingsException.class,
                () -> client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave")));
        assertTrue(noPassword.getMessage().contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"), noPassword.getMessage());
        assertTrue(noPassword.getMessage().contains("kafka.sasl.username"), noPassword.getMessage());

        SettingsException noUser = assertThrows(SettingsException.class,
                () -> client(Map.of("EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD)));
        assertTrue(noUser.getMessage().contains("EDGEWEAVE_KAFKA_SASL_USERNAME"), noUser.getMessage());
        assertFalse(noUser.getMessage().contains(PASSWORD), noUser.getMessage());

        SettingsException blank = assertThrows(SettingsException.class,
                () -> client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave", "EDGEWEAVE_KAFKA_SASL_PASSWORD", " ")));
        assertTrue(blank.getMessage().contains("EDGEWEAVE_KAFKA_SASL_PASSWORD"), blank.getMessage());
    }

    @Test
    void passwordsAndJaasConfigurationsComeOnlyFromTheEnvironment() throws IOException {
        for (String line : new String[] {"kafka.sasl.password=" + PASSWORD,
                "kafka.sasl.jaas.config=" + KafkaClientSettings.SCRAM_MODULE + " required username=\"u\" password=\"p\";",
                "kafka.ssl.key.password=" + PASSWORD}) {
            Settings s = withFile("kafka.sasl.username=u\n" + line + "\n",
                    Map.of("EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD));
            SettingsException e = assertThrows(SettingsException.class, () -> KafkaClientSettings.from(s), line);
            assertTrue(e.getMessage().contains("only from the environment"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), "never the password: " + e.getMessage());
        }
        SettingsException override = assertThrows(SettingsException.class, () -> KafkaClientSettings.from(
                Settings.load(DEFAULTS, Optional.empty(), Map.of(), "EDGEWEAVE")
                        .withOverrides(Map.of("kafka.sasl.jaas.config", "x"))));
        assertTrue(override.getMessage().contains("EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG"), override.getMessage());

        // From the environment, a whole JAAS configuration passes through as it is (another mechanism's login).
        KafkaClientSettings own = client(Map.of("EDGEWEAVE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "EDGEWEAVE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG", "x required username=\"u\" password=\"p\";"));
        assertEquals("x required username=\"u\" password=\"p\";", own.properties().getProperty("sasl.jaas.config"));
        assertEquals(Optional.of("EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG"), own.credentialsVariable());
        SettingsException both = assertThrows(SettingsException.class, () -> client(Map.of(
                "EDGEWEAVE_KAFKA_SASL_USERNAME", "u", "EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD,
                "EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG", "x required;")));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    @Test
    void bootstrapServersIsRefusedForKafkaBootstrap() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> client(Map.of("EDGEWEAVE_KAFKA_BOOTSTRAP_SERVERS", "other:9092")));
        assertTrue(e.getMessage().contains("kafka.bootstrap.servers") && e.getMessage().contains("EDGEWEAVE_KAFKA_BOOTSTRAP"),
                e.getMessage());
    }

    @Test
    void theDescriptionMasksSecrets() {
        KafkaClientSettings c = client(Map.of("EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave",
                "EDGEWEAVE_KAFKA_SASL_PASSWORD", PASSWORD, "EDGEWEAVE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "tspw-123",
                "EDGEWEAVE_KAFKA_SSL_TRUSTSTORE_LOCATION", "/t.p12"));
        String d = c.describe();
        assertEquals("sasl.jaas.config=***, sasl.mechanism=SCRAM-SHA-512, security.protocol=SASL_SSL, "
                + "ssl.truststore.location=/t.p12, ssl.truststore.password=***", d);
        assertFalse(c.toString().contains(PASSWORD) || c.toString().contains("tspw-123"), c.toString());
        assertEquals("PLAINTEXT, no other client properties", KafkaClientSettings.plaintext().describe());
    }
}
