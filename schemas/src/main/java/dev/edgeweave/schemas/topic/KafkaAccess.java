package dev.edgeweave.schemas.topic;

import dev.edgeweave.config.KafkaClientSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * A component's first words with Kafka, shared by all of them: its client properties
 * ({@link KafkaClientSettings}) with the bootstrap servers, an {@link Admin} built from them, and the check at
 * start that the broker answers and accepts the credentials. A refused login ({@link AuthenticationException},
 * {@code SaslAuthenticationException} for a wrong SCRAM password) is not retriable: the check turns it into one
 * {@link KafkaAccessException} naming the bootstrap, the user, the mechanism and the variable holding the
 * password (never the password), so a component stops at once with that line instead of retrying.
 */
public final class KafkaAccess {

    /** How long the check at start waits for the broker: the time the components gave topic creation before. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** A broker refused the client, or did not answer: the message says which, and what to check. */
    public static final class KafkaAccessException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        KafkaAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private KafkaAccess() {
    }

    /** The client properties with {@code bootstrap.servers}: a base for a producer's, a consumer's or an admin's. */
    public static Properties properties(String bootstrap, KafkaClientSettings client) {
        Properties p = client.properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrap, "bootstrap"));
        return p;
    }

    /** An admin client with the client properties; the caller closes it. */
    public static Admin admin(String bootstrap, KafkaClientSettings client) {
        return Admin.create(properties(bootstrap, client));
    }

    /**
     * Asks the broker to describe its cluster, which it answers only after the login.
     *
     * @throws KafkaAccessException when it refuses the credentials or the TLS handshake fails (at once), or does
     *                              not answer within {@code timeout}
     */
    public static void check(String bootstrap, KafkaClientSettings client, Duration timeout) {
        Properties p = properties(bootstrap, client);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(ms, 30_000)));
        try {
            Admin admin = Admin.create(p);
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId()
                        .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw unanswered(bootstrap, client, timeout, e.getCause());
                }
                throw refusal(e, bootstrap, client).orElseGet(() -> new KafkaAccessException("Kafka at " + bootstrap
                        + " did not answer (" + client.identity() + "): " + e.getCause().getMessage(), e.getCause()));
            } catch (TimeoutException e) {
                throw unanswered(bootstrap, client, timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaAccessException("interrupted while checking Kafka at " + bootstrap, e);
            } finally {
                admin.close(Duration.ofSeconds(5)); // not Admin's default: it waits for calls that may never end
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            // Admin.create refuses the client properties (a JAAS configuration Kafka cannot parse, a missing file).
            throw new KafkaAccessException("cannot make a Kafka client for " + bootstrap + " (" + client.identity()
                    + "): " + e.getMessage(), e);
        }
    }

    /**
     * {@code failure}, or one of its causes, as the refusal of the client's credentials or TLS handshake, if it is
     * one: for a component that meets it after the check at start (a password changed meanwhile).
     */
    public static Optional<KafkaAccessException> refusal(Throwable failure, String bootstrap,
                                                         KafkaClientSettings client) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KafkaAccessException k) {
                return Optional.of(k);
            }
            if (t instanceof SslAuthenticationException) {
                return Optional.of(new KafkaAccessException("the TLS handshake with Kafka at " + bootstrap + " failed ("
                        + client.identity() + "): check kafka.ssl.truststore.location and the broker's certificate "
                        + "(Kafka: " + t.getMessage() + ")", t));
            }
            if (t instanceof AuthenticationException) {
                String check = client.username().isPresent() ? "check the user and that password"
                        : client.credentialsVariable().isPresent() ? "check the credentials there"
                        : "the client has no credentials: set " + KafkaClientSettings.USERNAME + " and "
                        + client.passwordVariable();
                return Optional.of(new KafkaAccessException("Kafka at " + bootstrap + " refused the login of "
                        + client.identity() + "; " + check + " (Kafka: " + t.getMessage() + ")", t));
            }
        }
        return Optional.empty();
    }

    private static KafkaAccessException unanswered(String bootstrap, KafkaClientSettings client, Duration timeout,
                                                   Throwable cause) {
        return new KafkaAccessException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds()
                + " s (" + client.identity() + "): is a broker running there, and does its listener expect "
                + client.securityProtocol() + "?", cause);
    }
}
