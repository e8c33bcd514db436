package dev.edgeweave.config;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one configuration loader of edgeweave: every module reads its settings through this class.
 *
 * <p>Precedence, lowest first: <b>defaults</b> in code, then a <b>properties file</b>, then <b>environment
 * variables</b>, then {@link #withOverrides test overrides}. Keys are dotted lower case
 * ({@code scheduler.max.attempts}, hyphens allowed inside a segment); the environment variable of a key is the
 * prefix, an underscore, and the key in upper case with dots and hyphens turned into underscores
 * ({@code EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS}). The key {@code config} is reserved: {@code <PREFIX>_CONFIG}
 * names the properties file (see {@link #fromSystem}).
 *
 * <p>Secrets come only from the environment: {@link #secret} refuses a key that has a default or a file entry,
 * so a password never sits in a file that gets committed or copied. {@link #toString} and every error message
 * mask the value of a key that {@link #isSecretKey looks secret}.
 *
 * <p>Every error is a {@link SettingsException} naming the key, the value and its {@link Source}. Values are
 * trimmed, except secrets, which are returned verbatim. The class is immutable and reads no Kafka topics.
 */
public final class Settings {

    /** Where a value came from. */
    public record Source(Kind kind, String location) {

        public enum Kind { DEFAULT, FILE, ENVIRONMENT, OVERRIDE }

        public Source {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(location, "location");
        }

        /** {@code default}, {@code file <path>}, {@code environment variable <NAME>} or {@code override}. */
        @Override
        public String toString() {
            return switch (kind) {
                case DEFAULT -> "default";
                case FILE -> "file " + location;
                case ENVIRONMENT -> "environment variable " + location;
                case OVERRIDE -> "override";
            };
        }
    }

    private record Entry(String key, String value, Source source) {
    }

    static final String MASK = "***";
    private static final String RESERVED_KEY = "config";
    private static final Pattern KEY = Pattern.compile("[a-z0-9]+(?:[.-][a-z0-9]+)*");
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*");
    private static final Pattern VARIABLE_SUFFIX = Pattern.compile("[A-Z0-9]+(?:_[A-Z0-9]+)*");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final Source DEFAULT = new Source(Source.Kind.DEFAULT, "");
    private static final Source OVERRIDE = new Source(Source.Kind.OVERRIDE, "");

    private final String envPrefix;
    private final Optional<Path> file;
    private final Map<String, String> defaults;
    private final Map<String, String> fileValues;
    /** Only the variables that start with the prefix, by variable name. */
    private final Map<String, String> environment;
    /** The key each prefixed variable stands for: a known key if its variable name matches, else the name read back. */
    private final Map<String, String> environmentKeys;
    private final Map<String, String> overrides;

    private Settings(String envPrefix, Optional<Path> file, Map<String, String> defaults,
                     Map<String, String> fileValues, Map<String, String> environment, Map<String, String> overrides) {
        this.envPrefix = envPrefix;
        this.file = file;
        this.defaults = defaults;
        this.fileValues = fileValues;
        this.environment = environment;
        this.overrides = overrides;
        this.environmentKeys = environmentKeys();
    }

    /**
     * Loads settings from the three layers.
     *
     * @param defaults       the component's defaults in code; keys must be dotted lower case
     * @param propertiesFile a properties file (UTF-8) over the defaults; an error if given but missing
     * @param environment    the environment, usually {@code System.getenv()}; only variables that start with
     *                       {@code envPrefix + "_"} are read
     * @param envPrefix      upper case, e.g. {@code EDGEWEAVE}
     */
    public static Settings load(Map<String, String> defaults, Optional<Path> propertiesFile,
                                Map<String, String> environment, String envPrefix) {
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(propertiesFile, "propertiesFile");
        Objects.requireNonNull(environment, "environment");
        requirePrefix(envPrefix);
        Map<String, String> defaultValues = copyValidated(defaults, "defaults");
        Map<String, String> fileValues = propertiesFile.map(Settings::readFile).orElse(Map.of());
        Map<String, String> prefixed = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name != null && value != null && name.startsWith(envPrefix + "_")) {
                prefixed.put(name, value);
            }
        });
        return new Settings(envPrefix, propertiesFile, defaultValues, fileValues,
                Collections.unmodifiableMap(prefixed), Map.of());
    }

    /**
     * Loads settings from this JVM: {@code System.getenv()}, and the properties file named by the system
     * property {@code <prefix in lower case>.config} ({@code edgeweave.config}) or, failing that, by the
     * environment variable {@code <PREFIX>_CONFIG} ({@code EDGEWEAVE_CONFIG}); no file if neither is set.
     * The system property wins because it is the more local choice, on one command line.
     */
    public static Settings fromSystem(Map<String, String> defaults, String envPrefix) {
        return fromSystem(defaults, envPrefix, System.getProperties(), System.getenv());
    }

    /** {@link #fromSystem(Map, String)} with the system properties and environment given, for tests. */
    static Settings fromSystem(Map<String, String> defaults, String envPrefix, Properties systemProperties,
                               Map<String, String> environment) {
        requirePrefix(envPrefix);
        String property = envPrefix.toLowerCase(Locale.ROOT).replace('_', '.') + ".config";
        String variable = envPrefix + "_CONFIG";
        Optional<String> named = Optional.ofNullable(systemProperties.getProperty(property))
                .filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(environment.get(variable)).filter(s -> !s.isBlank()));
        Optional<Path> file;
        try {
            file = named.map(String::strip).map(Path::of);
        } catch (InvalidPathException e) {
            throw new SettingsException("the properties file named by system property " + property
                    + " or environment variable " + variable + " is not a valid path: " + named.get(), e);
        }
        return load(defaults, file, environment, envPrefix);
    }

    /**
     * A copy with {@code overrides} above every layer, for tests. The overrides add to any earlier ones.
     * {@link #secret} refuses an overridden key like a file entry: tests give secrets through the environment
     * map of {@link #load}.
     */
    public Settings withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(this.overrides);
        merged.putAll(copyValidated(overrides, "overrides"));
        return new Settings(envPrefix, file, defaults, fileValues, environment, Collections.unmodifiableMap(merged));
    }

    // ---- typed getters -------------------------------------------------------------------------------------

    /** The value, trimmed; an error if the key is not set anywhere. */
    public String string(String key) {
        return require(key).value();
    }

    /** The value, trimmed; empty if not set or blank, so an empty environment variable switches it off. */
    public Optional<String> optionalString(String key) {
        return lookup(key).map(Entry::value).filter(v -> !v.isEmpty());
    }

    /** A whole number in the {@code int} range. */
    public int integer(String key) {
        Entry e = require(key);
        try {
            return Integer.parseInt(e.value());
        } catch (NumberFormatException ex) {
            throw invalid(e, "is not an integer (a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ")");
        }
    }

    /** A whole number in {@code [min, max]}. */
    public int integer(String key, int min, int max) {
        requireRange(min <= max, key, min, max);
        int value = integer(key);
        if (value < min || value > max) {
            throw invalid(require(key), "is out of range: must be from " + min + " to " + max);
        }
        return value;
    }

    /** A finite decimal number, written as Java's {@link BigDecimal} reads it: {@code 0.25}, {@code 1e-3}. */
    public double decimal(String key) {
        Entry e = require(key);
        double value;
        try {
            value = new BigDecimal(e.value()).doubleValue();
        } catch (NumberFormatException ex) {
            throw invalid(e, "is not a decimal number (like 0.25 or 1e-3)");
        }
        if (Double.isInfinite(value)) {
            throw invalid(e, "is too large for a decimal number");
        }
        return value;
    }

    /** A decimal number in {@code [min, max]}. */
    public double decimal(String key, double min, double max) {
        requireRange(min <= max, key, min, max);
        double value = decimal(key);
        if (value < min || value > max) {
            throw invalid(require(key), "is out of range: must be from " + min + " to " + max);
        }
        return value;
    }

    /** {@code true} or {@code false} in any case; nothing else ({@code yes}, {@code 1}, {@code on} are errors). */
    public boolean bool(String key) {
        Entry e = require(key);
        if (e.value().equalsIgnoreCase("true")) {
            return true;
        }
        if (e.value().equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(e, "is not a boolean: use true or false");
    }

    /**
     * A non-negative duration: ISO-8601 ({@code PT1S}, {@code PT5M}, {@code P1D}) or a number with a unit
     * {@code ms}, {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 30s}, {@code 1.5m}). A bare number is
     * an error: seconds or milliseconds is exactly the guess that goes wrong.
     */
    public Duration duration(String key) {
        Entry e = require(key);
        String v = e.value();
        String usage = "use ISO-8601 (PT1S, PT5M) or a number with a unit ms, s, m or h (500ms, 30s, 5m, 1h)";
        Duration d;
        if (v.startsWith("P") || v.startsWith("p") || v.startsWith("-") || v.startsWith("+")) {
            try {
                d = Duration.parse(v);
            } catch (DateTimeParseException ex) {
                throw invalid(e, "is not a duration: " + usage);
            }
        } else {
            Matcher m = DURATION.matcher(v);
            if (!m.matches()) {
                throw invalid(e, "is not a duration: " + usage);
            }
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
            BigInteger whole;
            try {
                whole = nanos.toBigIntegerExact();
            } catch (ArithmeticException ex) {
                throw invalid(e, "is finer than a nanosecond");
            }
            if (whole.bitLength() > 63) {
                throw invalid(e, "is too long a duration");
            }
            d = Duration.ofNanos(whole.longValueExact());
        }
        if (d.isNegative()) {
            throw invalid(e, "is a negative duration");
        }
        return d;
    }

    /** Comma-separated items, each trimmed, empty items dropped; a blank value is an empty list. */
    public List<String> list(String key) {
        Entry e = require(key);
        List<String> items = new ArrayList<>();
        for (String item : e.value().split(",")) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return List.copyOf(items);
    }

    /**
     * A secret, verbatim, from the environment variable of {@code key} and nowhere else. An error if the key
     * has a default, a file entry or an override (even when the environment sets it too: the copy elsewhere is
     * the leak), or if the variable is not set.
     */
    public String secret(String key) {
        return optionalSecret(key).orElseThrow(() -> new SettingsException("secret '" + key
                + "' is missing: set environment variable " + variableOf(key)
                + " (secrets come only from the environment)"));
    }

    /** {@link #secret} for a secret that may be absent; empty also when the variable is blank. */
    public Optional<String> optionalSecret(String key) {
        requireKey(key, "key");
        String where = null;
        if (overrides.containsKey(key)) {
            where = "an override";
        } else if (fileValues.containsKey(key)) {
            where = "file " + file.orElseThrow();
        } else if (defaults.containsKey(key)) {
            where = "the defaults in code";
        }
        if (where != null) {
            throw new SettingsException("secret '" + key + "' is set in " + where
                    + ": secrets come only from the environment, never from a file or code; remove it there and set "
                    + "environment variable " + variableOf(key));
        }
        return Optional.ofNullable(environment.get(variableOf(key))).filter(v -> !v.isBlank());
    }

    // ---- introspection -------------------------------------------------------------------------------------

    /** Whether the key has a value in any layer. */
    public boolean contains(String key) {
        return lookup(key).isPresent();
    }

    /** Where the key's value comes from; an error if it has none. */
    public Source source(String key) {
        return require(key).source();
    }

    /**
     * Every key set in some layer, sorted. A variable that matches no default or file key is read back as
     * dots ({@code EDGEWEAVE_KAFKA_SASL_MECHANISM} → {@code kafka.sasl.mechanism}), so a hyphenated key set
     * only in the environment is listed with a dot for the hyphen (reading it by its own name still works).
     */
    public SortedSet<String> keys() {
        TreeSet<String> keys = new TreeSet<>(defaults.keySet());
        keys.addAll(fileValues.keySet());
        keys.addAll(environmentKeys.values());
        keys.addAll(overrides.keySet());
        return Collections.unmodifiableSortedSet(keys);
    }

    /**
     * The entries under {@code prefix} with the prefix stripped, e.g. {@code asProperties("kafka.")} turns
     * {@code kafka.bootstrap.servers} into {@code bootstrap.servers} for a Kafka client. A trailing dot is
     * added if missing. A fresh copy each call. Secret-looking values pass through as they are: a client that
     * needs a password gets it here, so set it in the environment.
     */
    public Properties asProperties(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        String p = prefix.endsWith(".") ? prefix : prefix + ".";
        requireKey(p.substring(0, p.length() - 1), "prefix");
        Properties properties = new Properties();
        for (String key : keys()) {
            if (key.startsWith(p)) {
                properties.setProperty(key.substring(p.length()), require(key).value());
            }
        }
        return properties;
    }

    /**
     * Keys set in the file or the environment that are neither defaults nor in {@code known}, sorted, for a
     * component to warn about (a typo otherwise silently leaves the default in force). An entry of
     * {@code known} that ends with a dot is a prefix: {@code "kafka."} knows every {@code kafka.*} key, for
     * settings passed through by {@link #asProperties}.
     */
    public SortedSet<String> unknownKeys(Set<String> known) {
        Objects.requireNonNull(known, "known");
        TreeSet<String> candidates = new TreeSet<>(fileValues.keySet());
        candidates.addAll(environmentKeys.values());
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : candidates) {
            boolean isKnown = defaults.containsKey(key) || known.contains(key)
                    || known.stream().anyMatch(k -> k.endsWith(".") && key.startsWith(k));
            if (!isKnown) {
                unknown.add(key);
            }
        }
        return Collections.unmodifiableSortedSet(unknown);
    }

    /** The environment variable that sets {@code key}: {@code EDGEWEAVE_KAFKA_BOOTSTRAP} for {@code kafka.bootstrap}. */
    public String variableOf(String key) {
        requireKey(key, "key");
        return variableOf(envPrefix, key);
    }

    /**
     * Whether a key's value is masked in {@link #toString} and error messages: its name contains
     * {@code password}, {@code secret} or {@code token}; also {@code credential}, {@code jaas} (a Kafka
     * {@code sasl.jaas.config} carries a password inline) or {@code apikey} once dots and hyphens are removed
     * ({@code openai.api.key}). Errs on the side of masking: {@code llm.max.tokens} is masked too.
     */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("credential")
                || k.contains("jaas") || k.replace(".", "").replace("-", "").contains("apikey");
    }

    /** Every key with its value and source, one line, sorted; secret-looking values as {@code ***}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Settings{prefix=").append(envPrefix)
                .append(", file=").append(file.map(Path::toString).orElse("none")).append(", values={");
        String separator = "";
        for (String key : keys()) {
            Entry e = require(key);
            sb.append(separator).append(key).append('=').append(isSecretKey(key) ? MASK : e.value())
                    .append(" (").append(e.source()).append(')');
            separator = ", ";
        }
        return sb.append("}}").toString();
    }

    // ---- internals -----------------------------------------------------------------------------------------

    private Optional<Entry> lookup(String key) {
        requireKey(key, "key");
        if (overrides.containsKey(key)) {
            return Optional.of(new Entry(key, overrides.get(key).strip(), OVERRIDE));
        }
        String variable = variableOf(envPrefix, key);
        if (environment.containsKey(variable)) {
            return Optional.of(new Entry(key, environment.get(variable).strip(),
                    new Source(Source.Kind.ENVIRONMENT, variable)));
        }
        if (fileValues.containsKey(key)) {
            return Optional.of(new Entry(key, fileValues.get(key).strip(),
                    new Source(Source.Kind.FILE, file.orElseThrow().toString())));
        }
        if (defaults.containsKey(key)) {
            return Optional.of(new Entry(key, defaults.get(key).strip(), DEFAULT));
        }
        return Optional.empty();
    }

    private Entry require(String key) {
        return lookup(key).orElseThrow(() -> new SettingsException("setting '" + key
                + "' is missing: it has no default in code, "
                + file.map(p -> "is not in file " + p).orElse("no properties file was given")
                + ", and environment variable " + variableOf(envPrefix, key) + " is not set"));
    }

    /** An ISO-8601 instant ({@code 2026-11-27T08:00:00Z}); blank is absent. */
    public java.util.Optional<java.time.Instant> optionalInstant(String key) {
        return optionalString(key).map(v -> {
            try {
                return java.time.Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw invalid(key, "is not an ISO-8601 instant like 2026-11-27T08:00:00Z");
            }
        });
    }

    /**
     * A duration longer than zero ({@link #duration}, and zero refused).
     */
    public Duration positiveDuration(String key) {
        Duration d = duration(key);
        if (d.isZero()) {
            throw invalid(key, "must be longer than zero");
        }
        return d;
    }

    /**
     * The error for a value the typed getters accept but a component does not (an id that cannot name a
     * topic, a list item of the wrong shape): it names the key, the value (masked when secret) and its source,
     * like every other error of this class.
     */
    public SettingsException invalid(String key, String problem) {
        return invalid(require(key), problem);
    }

    private SettingsException invalid(Entry e, String problem) {
        String shown = isSecretKey(e.key()) ? MASK : "'" + e.value() + "'";
        return new SettingsException("setting '" + e.key() + "' = " + shown + " (from " + e.source() + ") " + problem);
    }

    private static void requireRange(boolean ordered, String key, Object min, Object max) {
        if (!ordered) {
            throw new IllegalArgumentException("range for '" + key + "' is empty: min " + min + " > max " + max);
        }
    }

    private static String variableOf(String envPrefix, String key) {
        return envPrefix + "_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private Map<String, String> environmentKeys() {
        // Variable names lose the dot/hyphen distinction, so a known key (default, file, override) claims its
        // variable first; two known keys with one variable would make the environment ambiguous.
        Map<String, String> known = new HashMap<>();
        TreeSet<String> knownKeys = new TreeSet<>(defaults.keySet());
        knownKeys.addAll(fileValues.keySet());
        knownKeys.addAll(overrides.keySet());
        for (String key : knownKeys) {
            String previous = known.put(variableOf(envPrefix, key), key);
            if (previous != null) {
                throw new SettingsException("settings '" + previous + "' and '" + key
                        + "' share environment variable " + variableOf(envPrefix, key) + "; rename one");
            }
        }
        Map<String, String> keys = new TreeMap<>();
        String reserved = variableOf(envPrefix, RESERVED_KEY);
        for (String variable : environment.keySet()) {
            String suffix = variable.substring(envPrefix.length() + 1);
            if (!variable.equals(reserved) && VARIABLE_SUFFIX.matcher(suffix).matches()) {
                keys.put(variable, known.getOrDefault(variable,
                        suffix.toLowerCase(Locale.ROOT).replace('_', '.')));
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    private static Map<String, String> readFile(Path path) {
        String named = path.isAbsolute() ? path.toString() : path + " (" + path.toAbsolutePath() + ")";
        if (!Files.exists(path)) {
            throw new SettingsException("properties file " + named + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new SettingsException("properties file " + named + " is not a regular file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingsException("cannot read properties file " + named + " (UTF-8 expected): " + e, e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return copyValidated(values, "properties file " + path);
    }

    private static Map<String, String> copyValidated(Map<String, String> values, String where) {
        Objects.requireNonNull(values, where);
        Map<String, String> copy = new TreeMap<>();
        values.forEach((key, value) -> {
            requireKey(key, "key in " + where);
            if (value == null) {
                throw new SettingsException(where + ": setting '" + key + "' has no value (null)");
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static void requireKey(String key, String what) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new SettingsException("'" + key + "' (" + what + ") is not a valid setting name: use dotted "
                    + "lower case, like kafka.bootstrap or scheduler.max-attempts");
        }
        if (key.equals(RESERVED_KEY)) {
            throw new SettingsException("'" + key + "' (" + what + ") is reserved: its environment variable "
                    + "names the properties file");
        }
    }

    private static void requirePrefix(String envPrefix) {
        if (envPrefix == null || !PREFIX.matcher(envPrefix).matches()) {
            throw new SettingsException("environment prefix '" + envPrefix
                    + "' is not valid: use upper case letters, digits and single underscores, like EDGEWEAVE");
        }
    }
}
