package dev.edgeweave.testbed.cli;

import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.Settings;
import dev.edgeweave.schemas.topic.KafkaAccess;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka client properties of the commands that talk to Kafka ({@code produce}, {@code tail}, {@code trace}):
 * the same {@code kafka.*} settings as every component ({@link KafkaClientSettings}), from the environment and
 * the file named by {@code EDGEWEAVE_CONFIG}, checked against the broker before any other client starts.
 */
final class KafkaClient {

    /** What the commands' {@code --help} says about it. */
    static final String HELP = "Kafka security comes from the same settings as every component's: "
            + "EDGEWEAVE_KAFKA_SASL_USERNAME and EDGEWEAVE_KAFKA_SASL_PASSWORD for SCRAM-SHA-512, any other "
            + "EDGEWEAVE_KAFKA_<NAME> passed to the client (or a properties file named by EDGEWEAVE_CONFIG).";

    /** The broker gets this long to answer the first request: a command line user is waiting. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    private final String bootstrap;
    private final KafkaClientSettings client;

    private KafkaClient(String bootstrap, KafkaClientSettings client) {
        this.bootstrap = bootstrap;
        this.client = client;
    }

    /**
     * Reads the client settings of this process and checks that the broker at {@code bootstrap} accepts them.
     *
     * @throws dev.edgeweave.config.SettingsException for a bad setting (a username without a password, ...)
     * @throws KafkaAccess.KafkaAccessException when the broker refuses the login or does not answer
     */
    static KafkaClient connect(String bootstrap) {
        KafkaClientSettings client = KafkaClientSettings.from(Settings.fromSystem(Map.of(), "EDGEWEAVE"));
        KafkaAccess.check(bootstrap, client, CHECK_TIMEOUT);
        return new KafkaClient(bootstrap, client);
    }

    /** A fresh copy of the client properties with {@code bootstrap.servers}, for a producer, consumer or admin. */
    Properties properties() {
        return KafkaAccess.properties(bootstrap, client);
    }

    String bootstrap() {
        return bootstrap;
    }
}
