package dev.edgeweave.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    private static final String PASSWORD = "pw-\"quoted\"-back\\slash; semi";

    private static KafkaClientSettings scram(String password) {
        return KafkaClientSettings.from(Settings.load(Map.of(), Optional.empty(), Map.of(
                "EDGEWEAVE_KAFKA_SASL_USERNAME", "edgeweave", "EDGEWEAVE_KAFKA_SASL_PASSWORD", password), "EDGEWEAVE"));
    }

    @Test
    void kafkasOwnJaasParserReadsTheEscapedLoginBack() {
        String jaas = scram(PASSWORD).properties().getProperty("sasl.jaas.config");
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config",
                new Password(jaas))).configurationEntries();
        assertEquals(1, entries.size());
        AppConfigurationEntry entry = entries.get(0);
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
        assertEquals(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, entry.getControlFlag());
        assertEquals("edgeweave", entry.getOptions().get("username"));
        assertEquals(PASSWORD, entry.getOptions().get("password"));
    }

    @Test
    void aRefusedLoginNamesTheBootstrapTheUserTheMechanismAndTheVariableButNotThePassword() {
        KafkaClientSettings client = scram(PASSWORD);
        Exception failure = new ExecutionException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"));
        String m = KafkaAccess.refusal(failure, "broker:9093", client).orElseThrow().getMessage();
        assertTrue(m.startsWith("Kafka at broker:9093 refused the login of user 'edgeweave' with SCRAM-SHA-512 over "
                + "SASL_PLAINTEXT, password from environment variable EDGEWEAVE_KAFKA_SASL_PASSWORD"), m);
        assertTrue(m.contains("invalid credentials"), m);
        assertFalse(m.contains(PASSWORD) || m.contains("pw-"), m);
        assertEquals(Optional.empty(), KafkaAccess.refusal(new IllegalStateException("other"), "b:1", client));
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNamedWithinTheTimeout() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String bootstrap = "127.0.0.1:" + port;
        long t0 = System.nanoTime();
        KafkaAccess.KafkaAccessException e = assertThrows(KafkaAccess.KafkaAccessException.class,
                () -> KafkaAccess.check(bootstrap, KafkaClientSettings.plaintext(), Duration.ofSeconds(2)));
        assertTrue(e.getMessage().startsWith("Kafka at " + bootstrap + " did not answer within 2 s"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "bounded by the timeout");
    }
}
