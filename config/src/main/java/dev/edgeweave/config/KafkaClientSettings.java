package dev.edgeweave.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client properties of a component, from its {@link Settings}: the one pass-through every component
 * (scheduler, planner, connector, command line, lab) turns its settings into Kafka client properties with.
 *
 * <p>Every {@code kafka.<name>} key becomes the client property {@code <name>}, except {@code kafka.bootstrap}
 * (each component reads it and sets {@code bootstrap.servers} itself; {@code kafka.bootstrap.servers} is refused
 * so the two cannot disagree) and the two SCRAM keys below. A key that carries a password
 * ({@code kafka.sasl.jaas.config}, {@code kafka.ssl.key.password}, ...) is taken only from the environment, like
 * every secret ({@link Settings#secret}).
 *
 * <p>SCRAM made easy: {@code kafka.sasl.username} (a plain setting) and the password from
 * {@code EDGEWEAVE_KAFKA_SASL_PASSWORD} (environment only) build {@code sasl.jaas.config} with Kafka's
 * {@code ScramLoginModule}, the values quoted and escaped; {@code security.protocol} then defaults to
 * {@code SASL_PLAINTEXT} ({@code SASL_SSL} when {@code kafka.ssl.truststore.location} is set) and
 * {@code sasl.mechanism} to {@code SCRAM-SHA-512}. An explicit {@code kafka.security.protocol} or
 * {@code kafka.sasl.mechanism} wins. A username without a password, or the reverse, is an error naming the
 * variable; so is a username beside a {@code sasl.jaas.config} of one's own (which of the two?).
 *
 * <p>Immutable; {@link #toString} and {@link #describe} mask every secret-looking value, so a start-up log line
 * may print it. Plain Java: the config module depends on no Kafka jar.
 */
public final class KafkaClientSettings {

    /** The prefix of the pass-through keys. */
    public static final String PREFIX = "kafka.";
    /** The bootstrap servers: read by each component, not passed through. */
    public static final String BOOTSTRAP = "kafka.bootstrap";
    /** The SASL user (SCRAM or PLAIN); not a client property itself. */
    public static final String USERNAME = "kafka.sasl.username";
    /** The SASL password: a secret, only from the environment ({@code EDGEWEAVE_KAFKA_SASL_PASSWORD}). */
    public static final String PASSWORD = "kafka.sasl.password";
    /** A whole JAAS configuration of one's own: it holds a password, so only from the environment. */
    public static final String JAAS_CONFIG = "kafka.sasl.jaas.config";
    /** When set, SASL goes over TLS by default. */
    public static final String TRUSTSTORE = "kafka.ssl.truststore.location";
    /** The mechanism a username gets unless {@code kafka.sasl.mechanism} names another. */
    public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";

    /** The lines every component's {@code --help} gives on Kafka security. */
    public static final String USAGE = ""
            + "Kafka security, the same for every component: kafka.sasl.username (EDGEWEAVE_KAFKA_SASL_USERNAME) and\n"
            + "the password in EDGEWEAVE_KAFKA_SASL_PASSWORD (environment only) log in with SCRAM-SHA-512 over\n"
            + "SASL_PLAINTEXT, or SASL_SSL when kafka.ssl.truststore.location is set; kafka.security.protocol and\n"
            + "kafka.sasl.mechanism override those. kafka.sasl.jaas.config and any kafka.*password* key are read only\n"
            + "from the environment. A refused login stops the component at start, naming the user and the variable.\n";

    static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final Map<String, String> properties;
    private final Optional<String> username;
    private final String passwordVariable;
    private final String jaasVariable;

    private KafkaClientSettings(Map<String, String> properties, Optional<String> username, String passwordVariable,
                                String jaasVariable) {
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        this.username = username;
        this.passwordVariable = passwordVariable;
        this.jaasVariable = jaasVariable;
    }

    /** No client properties at all: PLAINTEXT, as a broker the lab or a test starts itself expects. */
    public static KafkaClientSettings plaintext() {
        return new KafkaClientSettings(Map.of(), Optional.empty(), "EDGEWEAVE_KAFKA_SASL_PASSWORD",
                "EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG");
    }

    /**
     * The client properties {@code settings} describe.
     *
     * @throws SettingsException for a password set outside the environment, a username without a password (or
     *                           the reverse), a username beside a JAAS configuration, {@code kafka.bootstrap.servers}
     *                           or a mechanism a username cannot serve
     */
    public static KafkaClientSettings from(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        String passwordVariable = settings.variableOf(PASSWORD);
        String jaasVariable = settings.variableOf(JAAS_CONFIG);
        Map<String, String> props = new TreeMap<>();
        for (String key : settings.keys()) {
            if (!key.startsWith(PREFIX) || key.equals(BOOTSTRAP) || key.equals(USERNAME) || key.equals(PASSWORD)) {
                continue;
            }
            if (key.equals(PREFIX + "bootstrap.servers")) {
                throw settings.invalid(key, "would bypass kafka.bootstrap, which every component reads: set "
                        + BOOTSTRAP + " (" + settings.variableOf(BOOTSTRAP) + ") instead");
            }
            String value = carriesPassword(key) ? settings.optionalSecret(key).orElse(null)
                    : settings.optionalString(key).orElse(null);
            if (value != null) {
                props.put(key.substring(PREFIX.length()), value);
            }
        }
        Optional<String> user = settings.optionalString(USERNAME);
        Optional<String> password = settings.optionalSecret(PASSWORD);
        if (user.isPresent() && password.isEmpty()) {
            throw new SettingsException("setting '" + USERNAME + "' = '" + user.get() + "' (from "
                    + settings.source(USERNAME) + ") has no password: set environment variable " + passwordVariable
                    + " (the password comes only from the environment)");
        }
        if (password.isPresent() && user.isEmpty()) {
            throw new SettingsException("environment variable " + passwordVariable + " holds a Kafka password but '"
                    + USERNAME + "' is not set: set it (" + settings.variableOf(USERNAME) + ") to the user it belongs to");
        }
        if (user.isPresent()) {
            if (props.containsKey("sasl.jaas.config")) {
                throw new SettingsException("both '" + USERNAME + "' (from " + settings.source(USERNAME)
                        + ") and environment variable " + jaasVariable + " are set: use the username and "
                        + passwordVariable + ", or a whole JAAS configuration, not both");
            }
            props.putIfAbsent("security.protocol",
                    settings.optionalString(TRUSTSTORE).isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT");
            props.putIfAbsent("sasl.mechanism", DEFAULT_MECHANISM);
            String mechanism = props.get("sasl.mechanism").toUpperCase(Locale.ROOT);
            String module;
            if (mechanism.startsWith("SCRAM-")) {
                module = SCRAM_MODULE;
            } else if (mechanism.equals("PLAIN")) {
                module = PLAIN_MODULE;
            } else {
                throw new SettingsException("'" + USERNAME + "' and " + passwordVariable + " make a login for "
                        + "SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN, but kafka.sasl.mechanism is '" + props.get("sasl.mechanism")
                        + "': for that mechanism set a whole JAAS configuration in " + jaasVariable);
            }
            props.put("sasl.jaas.config", module + " required username=" + quoted(user.get(), USERNAME)
                    + " password=" + quoted(password.get(), passwordVariable) + ";");
        }
        return new KafkaClientSettings(props, user, passwordVariable, jaasVariable);
    }

    /**
     * The client properties, a fresh copy each call, passwords included: give them to a Kafka client, never to a
     * log (use {@link #describe}).
     */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }

    /** {@link #properties} as a map, for clients built from one. */
    public Map<String, Object> asMap() {
        return Map.copyOf(properties);
    }

    /** {@code security.protocol}: as set or made, else Kafka's default {@code PLAINTEXT}. */
    public String securityProtocol() {
        return properties.getOrDefault("security.protocol", "PLAINTEXT");
    }

    /** {@code sasl.mechanism} when the client authenticates with SASL. */
    public Optional<String> mechanism() {
        return securityProtocol().toUpperCase(Locale.ROOT).startsWith("SASL")
                ? Optional.of(properties.getOrDefault("sasl.mechanism", "GSSAPI")) : Optional.empty();
    }

    /** The user of {@code kafka.sasl.username}; empty when none is set (maybe a JAAS configuration names one). */
    public Optional<String> username() {
        return username;
    }

    /** The environment variable the SASL password is read from ({@code EDGEWEAVE_KAFKA_SASL_PASSWORD}). */
    public String passwordVariable() {
        return passwordVariable;
    }

    /**
     * Where the credentials are: the password's variable for a username, the JAAS configuration's variable for
     * one of those, else empty.
     */
    public Optional<String> credentialsVariable() {
        if (username.isPresent()) {
            return Optional.of(passwordVariable);
        }
        return properties.containsKey("sasl.jaas.config") ? Optional.of(jaasVariable) : Optional.empty();
    }

    /**
     * Who connects how, for an error message: {@code user 'edgeweave' with SCRAM-SHA-512 over SASL_PLAINTEXT,
     * password from EDGEWEAVE_KAFKA_SASL_PASSWORD}; never a password.
     */
    public String identity() {
        Optional<String> mechanism = mechanism();
        if (mechanism.isEmpty()) {
            return "no authentication (" + securityProtocol() + ")";
        }
        String who = username.map(u -> "user '" + u + "'").orElse("the JAAS login");
        String where = credentialsVariable().map(v -> (username.isPresent() ? ", password from environment variable "
                : ", configured in environment variable ") + v).orElse(", no credentials set");
        return who + " with " + mechanism.get() + " over " + securityProtocol() + where;
    }

    /** One line for a start-up log: every client property, secret-looking values as {@code ***}. */
    public String describe() {
        if (properties.isEmpty()) {
            return "PLAINTEXT, no other client properties";
        }
        StringBuilder sb = new StringBuilder();
        properties.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=')
                .append(carriesPassword(k) ? Settings.MASK : v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "KafkaClientSettings{" + describe() + "}";
    }

    /** A pass-through key whose value is a password or holds one, so is read only from the environment. */
    static boolean carriesPassword(String key) {
        // Settings' own rule (password, secret, token, credential, jaas, apikey), and a PEM private key given inline.
        return Settings.isSecretKey(key) || key.toLowerCase(Locale.ROOT).endsWith("ssl.keystore.key");
    }

    /**
     * A JAAS option value in double quotes: Kafka's parser ({@code java.io.StreamTokenizer}) reads {@code \\} and
     * {@code \"} inside quotes as escapes, and ends a quoted value at a line break, so those are refused.
     */
    static String quoted(String value, String whence) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || Character.isISOControl(c)) {
                throw new SettingsException("the value of " + whence + " holds a control character (a line break?) "
                        + "at position " + (i + 1) + ": a Kafka JAAS option cannot carry it");
            }
            if (c == '\\' || c == '"') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
