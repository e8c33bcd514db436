package dev.edgeweave.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.Settings.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    private static final String PREFIX = "EDGEWEAVE";

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void setUp() {
        file = dir.resolve("edgeweave.properties");
    }

    private Settings settings(Map<String, String> defaults, String fileText, Map<String, String> env) {
        try {
            if (fileText != null) {
                Files.writeString(file, fileText, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Settings.load(defaults, Optional.ofNullable(fileText).map(t -> file), env, PREFIX);
    }

    /** One value of {@code key} in the layer named: default, file or env. */
    private Settings one(String layer, String key, String value) {
        return switch (layer) {
            case "default" -> settings(Map.of(key, value), null, Map.of());
            case "file" -> settings(Map.of(), key + "=" + value + "\n", Map.of());
            case "env" -> settings(Map.of(), null,
                    Map.of(PREFIX + "_" + key.toUpperCase().replace('.', '_').replace('-', '_'), value));
            default -> throw new IllegalArgumentException(layer);
        };
    }

    private static void assertMessage(RuntimeException e, String... parts) {
        assertContains(e.getMessage(), parts);
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "'" + part + "' not in: " + text);
        }
    }

    // ---- precedence ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "default={0} file={1} env={2} -> {3} from {4}")
    @CsvSource(nullValues = "-", value = {
            "d, -, -, d, DEFAULT",
            "-, f, -, f, FILE",
            "-, -, e, e, ENVIRONMENT",
            "d, f, -, f, FILE",
            "d, -, e, e, ENVIRONMENT",
            "-, f, e, e, ENVIRONMENT",
            "d, f, e, e, ENVIRONMENT"
    })
    void environmentOverridesFileOverridesDefault(String def, String inFile, String env, String expected,
                                                  Source.Kind kind) {
        Settings s = settings(def == null ? Map.of() : Map.of("kafka.bootstrap", def),
                inFile == null ? "" : "kafka.bootstrap=" + inFile + "\n",
                env == null ? Map.of() : Map.of("EDGEWEAVE_KAFKA_BOOTSTRAP", env));
        assertEquals(expected, s.string("kafka.bootstrap"));
        assertEquals(kind, s.source("kafka.bootstrap").kind());
    }

    @Test
    void sourceNamesTheDefaultTheFilePathAndTheVariable() {
        Settings s = settings(Map.of("a.one", "1", "a.two", "2", "a.three", "3"),
                "a.two=22\na.three=33\n", Map.of("EDGEWEAVE_A_THREE", "333"));
        assertEquals("default", s.source("a.one").toString());
        assertEquals(new Source(Source.Kind.FILE, file.toString()), s.source("a.two"));
        assertEquals("file " + file, s.source("a.two").toString());
        assertEquals("environment variable EDGEWEAVE_A_THREE", s.source("a.three").toString());
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @CsvSource({
            "kafka.bootstrap, EDGEWEAVE_KAFKA_BOOTSTRAP",
            "scheduler.max.attempts, EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS",
            "scheduler.max-attempts, EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS",
            "llm.ollama.url, EDGEWEAVE_LLM_OLLAMA_URL"
    })
    void environmentVariableIsPrefixUnderscoreUpperCaseKey(String key, String variable) {
        Settings s = settings(Map.of(key, "from-default"), null, Map.of(variable, "from-env"));
        assertEquals(variable, s.variableOf(key));
        assertEquals("from-env", s.string(key));
    }

    @Test
    void otherPrefixesAndTheConfigVariableAreNotSettings() {
        Settings s = settings(Map.of(), null, Map.of("PATH", "/bin", "EDGEWEAVEX_A", "1",
                "EDGEWEAVE_CONFIG", "/etc/edgeweave.properties", "EDGEWEAVE_lower", "x", "EDGEWEAVE_A_B", "2"));
        assertEquals(Set.of("a.b"), s.keys());
    }

    @Test
    void twoKeysSharingOneVariableAreRefused() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> settings(Map.of("a.b-c", "1", "a.b.c", "2"), null, Map.of()));
        assertMessage(e, "a.b-c", "a.b.c", "EDGEWEAVE_A_B_C");
    }

    @Test
    void overridesBeatTheEnvironmentAndLeaveTheOriginalAlone() {
        Settings s = settings(Map.of("a.b", "d"), null, Map.of("EDGEWEAVE_A_B", "e"));
        Settings t = s.withOverrides(Map.of("a.b", "o", "c.d", "new"));
        assertEquals("o", t.string("a.b"));
        assertEquals(Source.Kind.OVERRIDE, t.source("a.b").kind());
        assertEquals("new", t.withOverrides(Map.of("x.y", "1")).string("c.d"));
        assertEquals("e", s.string("a.b"));
        assertFalse(s.contains("c.d"));
    }

    @Test
    void inputsAreCopied() {
        Map<String, String> defaults = new java.util.HashMap<>(Map.of("a.b", "1"));
        Settings s = settings(defaults, null, Map.of());
        defaults.put("a.b", "2");
        assertEquals("1", s.string("a.b"));
    }

    // ---- strings and missing keys --------------------------------------------------------------------------

    @Test
    void valuesAreTrimmedAndBlankOptionalIsEmpty() {
        Settings s = settings(Map.of(), "a.b = spaced   \nc.d=\n", Map.of("EDGEWEAVE_E_F", "  "));
        assertEquals("spaced", s.string("a.b"));
        assertEquals(Optional.of("spaced"), s.optionalString("a.b"));
        assertEquals("", s.string("c.d"));
        assertEquals(Optional.empty(), s.optionalString("c.d"));
        assertEquals(Optional.empty(), s.optionalString("e.f"));
        assertEquals(Optional.empty(), s.optionalString("not.set"));
    }

    @Test
    void missingKeyNamesTheKeyTheFileAndTheVariable() {
        Settings s = settings(Map.of(), "", Map.of());
        SettingsException e = assertThrows(SettingsException.class, () -> s.integer("scheduler.max.attempts"));
        assertMessage(e, "'scheduler.max.attempts'", "missing", file.toString(), "EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS");
        assertMessage(assertThrows(SettingsException.class, () -> s.source("x.y")), "'x.y'");
    }

    @ParameterizedTest(name = "key ''{0}''")
    @CsvSource({"Kafka.Bootstrap", "kafka..bootstrap", "kafka_bootstrap", ".kafka", "config"})
    void malformedOrReservedKeysAreRefused(String key) {
        assertMessage(assertThrows(SettingsException.class, () -> settings(Map.of(key, "v"), null, Map.of())),
                "'" + key + "'");
        assertMessage(assertThrows(SettingsException.class, () -> settings(Map.of(), key + "=v\n", Map.of())),
                "'" + key + "'", file.toString());
        Settings s = settings(Map.of(), null, Map.of());
        assertMessage(assertThrows(SettingsException.class, () -> s.string(key)), "'" + key + "'");
    }

    @ParameterizedTest(name = "prefix ''{0}''")
    @CsvSource({"edgeweave", "EDGEWEAVE_", "''", "_EW", "EDGE WEAVE"})
    void badPrefixIsRefused(String prefix) {
        assertThrows(SettingsException.class, () -> Settings.load(Map.of(), Optional.empty(), Map.of(), prefix));
    }

    // ---- typed getters: parse ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"42, 42", "' 7 ', 7", "-3, -3", "+5, 5", "0, 0", "2147483647, 2147483647"})
    void integerParses(String value, int expected) {
        assertEquals(expected, one("default", "n.value", value).integer("n.value"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0.25, 0.25", "1e-3, 0.001", "-2, -2.0", "' 3.5 ', 3.5"})
    void decimalParses(String value, double expected) {
        assertEquals(expected, one("file", "d.value", value).decimal("d.value"), 0.0);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"true, true", "false, false", "TRUE, true", "False, false"})
    void boolParses(String value, boolean expected) {
        assertEquals(expected, one("env", "b.value", value).bool("b.value"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PT1S, PT1S",
            "pt0.5s, PT0.5S",
            "PT5M, PT5M",
            "P1D, PT24H",
            "PT0S, PT0S",
            "500ms, PT0.5S",
            "30s, PT30S",
            "5m, PT5M",
            "1h, PT1H",
            "1.5m, PT1M30S",
            "0.001ms, PT0.000001S",
            "'10 s', PT10S",
            "' 2h ', PT2H"
    })
    void durationParses(String value, Duration expected) {
        assertEquals(expected, one("default", "t.timeout", value).duration("t.timeout"));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "a, b ,c|a;b;c",
            "  single |single",
            "a,,b,|a;b",
            "''|''",
            "' , '|''"
    })
    void listSplitsOnCommasAndTrims(String value, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(";"));
        assertEquals(want, one("file", "l.items", value).list("l.items"));
    }

    // ---- typed getters: errors name key, value and source --------------------------------------------------

    @ParameterizedTest(name = "{0}({2}) from {1}")
    @CsvSource({
            "integer, default, many, not an integer",
            "integer, file, 1.5, not an integer",
            "integer, env, 99999999999, not an integer",
            "integer, env, '', not an integer",
            "decimal, file, abc, not a decimal",
            "decimal, env, NaN, not a decimal",
            "decimal, default, 0x10, not a decimal",
            "decimal, default, 1e400, too large",
            "bool, file, yes, not a boolean",
            "bool, env, 1, not a boolean",
            "bool, default, on, not a boolean",
            "duration, file, 500, not a duration",
            "duration, env, 5d, not a duration",
            "duration, default, 5 sec, not a duration",
            "duration, file, -1s, not a duration",
            "duration, env, PT-1S, negative",
            "duration, default, PTX, not a duration",
            "duration, file, 0.0000001ms, finer than a nanosecond",
            "duration, env, 9999999999999999h, too long"
    })
    void malformedValueErrorNamesKeyValueAndSource(String getter, String layer, String value, String problem) {
        Settings s = one(layer, "some.key", value);
        Map<String, Function<Settings, Object>> getters = Map.of(
                "integer", x -> x.integer("some.key"),
                "decimal", x -> x.decimal("some.key"),
                "bool", x -> x.bool("some.key"),
                "duration", x -> x.duration("some.key"));
        SettingsException e = assertThrows(SettingsException.class, () -> getters.get(getter).apply(s));
        String source = switch (layer) {
            case "default" -> "(from default)";
            case "file" -> "(from file " + file + ")";
            default -> "(from environment variable EDGEWEAVE_SOME_KEY)";
        };
        assertMessage(e, "'some.key'", "'" + value.strip() + "'", source, problem);
    }

    @ParameterizedTest(name = "{0} in [{1}, {2}]")
    @CsvSource({"0, 1, 10, false", "1, 1, 10, true", "10, 1, 10, true", "11, 1, 10, false", "-5, -10, -1, true"})
    void integerRangeIsInclusive(int value, int min, int max, boolean ok) {
        Settings s = one("env", "scheduler.max.attempts", Integer.toString(value));
        if (ok) {
            assertEquals(value, s.integer("scheduler.max.attempts", min, max));
        } else {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> s.integer("scheduler.max.attempts", min, max));
            assertMessage(e, "'scheduler.max.attempts'", "'" + value + "'",
                    "EDGEWEAVE_SCHEDULER_MAX_ATTEMPTS", "from " + min + " to " + max);
        }
    }

    @ParameterizedTest(name = "{0} in [{1}, {2}]")
    @CsvSource({"0.5, 0, 1, true", "0, 0, 1, true", "1, 0, 1, true", "1.01, 0, 1, false", "-0.1, 0, 1, false"})
    void decimalRangeIsInclusive(String value, double min, double max, boolean ok) {
        Settings s = one("file", "fairness.alpha", value);
        if (ok) {
            assertEquals(Double.parseDouble(value), s.decimal("fairness.alpha", min, max), 0.0);
        } else {
            SettingsException e = assertThrows(SettingsException.class, () -> s.decimal("fairness.alpha", min, max));
            assertMessage(e, "'fairness.alpha'", "'" + value + "'", file.toString(), "out of range");
        }
    }

    @Test
    void anEmptyRangeIsAProgrammingError() {
        Settings s = one("default", "a.b", "1");
        assertThrows(IllegalArgumentException.class, () -> s.integer("a.b", 2, 1));
        assertThrows(IllegalArgumentException.class, () -> s.decimal("a.b", 2, 1));
    }

    // ---- secrets -------------------------------------------------------------------------------------------

    @Test
    void secretIsReadFromTheEnvironmentVerbatim() {
        Settings s = settings(Map.of(), null, Map.of("EDGEWEAVE_DB_PASSWORD", " hunter2 "));
        assertEquals(" hunter2 ", s.secret("db.password"));
        assertEquals(Optional.of(" hunter2 "), s.optionalSecret("db.password"));
        assertEquals(Optional.empty(), s.optionalSecret("llm.api.token"));
    }

    @ParameterizedTest(name = "secret in {0}")
    @CsvSource({"file", "default"})
    void secretIsRefusedFromFileOrDefaultsEvenIfTheEnvironmentSetsIt(String layer) {
        Map<String, String> env = Map.of("EDGEWEAVE_DB_PASSWORD", "from-env");
        Settings s = layer.equals("file")
                ? settings(Map.of(), "db.password=hunter2\n", env)
                : settings(Map.of("db.password", "hunter2"), null, env);
        SettingsException e = assertThrows(SettingsException.class, () -> s.secret("db.password"));
        assertMessage(e, "'db.password'", "only from the environment", "EDGEWEAVE_DB_PASSWORD",
                layer.equals("file") ? file.toString() : "defaults");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertThrows(SettingsException.class, () -> s.optionalSecret("db.password"));
    }

    @Test
    void secretIsRefusedFromAnOverride() {
        Settings s = settings(Map.of(), null, Map.of()).withOverrides(Map.of("api.secret", "x"));
        assertMessage(assertThrows(SettingsException.class, () -> s.secret("api.secret")), "override");
    }

    @Test
    void missingSecretNamesItsVariable() {
        Settings s = settings(Map.of(), null, Map.of("EDGEWEAVE_HF_TOKEN", " "));
        assertMessage(assertThrows(SettingsException.class, () -> s.secret("kafka.sasl.password")),
                "'kafka.sasl.password'", "EDGEWEAVE_KAFKA_SASL_PASSWORD");
        assertThrows(SettingsException.class, () -> s.secret("hf.token"), "a blank secret is missing");
    }

    @Test
    void toStringMasksSecretLookingValuesWhereverTheyCameFrom() {
        Settings s = settings(Map.of("kafka.bootstrap", "localhost:9092", "llm.max.tokens", "512"),
                "ui.session.secret=file-secret-value\n",
                Map.of("EDGEWEAVE_DB_PASSWORD", "env-password-value", "EDGEWEAVE_OPENAI_API_KEY", "sk-abc",
                        "EDGEWEAVE_KAFKA_SASL_JAAS_CONFIG", "jaas-with-password"));
        String text = s.toString();
        for (String leaked : List.of("file-secret-value", "env-password-value", "sk-abc", "jaas-with-password")) {
            assertFalse(text.contains(leaked), leaked + " leaked in " + text);
        }
        assertContains(text,
                "kafka.bootstrap=localhost:9092 (default)",
                "db.password=*** (environment variable EDGEWEAVE_DB_PASSWORD)",
                "ui.session.secret=*** (file " + file + ")",
                "openai.api.key=***", "kafka.sasl.jaas.config=***",
                "llm.max.tokens=*** (default)");
    }

    @Test
    void errorsOnSecretLookingKeysDoNotPrintTheValue() {
        Settings s = one("file", "llm.max.tokens", "lots");
        SettingsException e = assertThrows(SettingsException.class, () -> s.integer("llm.max.tokens"));
        assertMessage(e, "'llm.max.tokens'", "***", file.toString());
        assertFalse(e.getMessage().contains("lots"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} secret? {1}")
    @CsvSource({
            "db.password, true", "ui.session.secret, true", "hf.token, true", "openai.api.key, true",
            "openai.api-key, true", "kafka.sasl.jaas.config, true", "aws.credentials, true",
            "kafka.bootstrap, false", "kafka.key.serializer, false", "scheduler.max.attempts, false"
    })
    void secretLookingKeys(String key, boolean secret) {
        assertEquals(secret, Settings.isSecretKey(key));
    }

    // ---- asProperties, unknownKeys, keys -------------------------------------------------------------------

    @Test
    void asPropertiesStripsThePrefixAcrossAllLayers() {
        Settings s = settings(Map.of("kafka.bootstrap.servers", "localhost:9092", "kafka.acks", "all",
                        "scheduler.max.attempts", "3"),
                "kafka.linger.ms=5\nkafkaesque=1\n",
                Map.of("EDGEWEAVE_KAFKA_ACKS", "1", "EDGEWEAVE_KAFKA_SASL_MECHANISM", "PLAIN"));
        Properties expected = new Properties();
        expected.putAll(Map.of("bootstrap.servers", "localhost:9092", "acks", "1", "linger.ms", "5",
                "sasl.mechanism", "PLAIN"));
        assertEquals(expected, s.asProperties("kafka."));
        assertEquals(expected, s.asProperties("kafka"), "a trailing dot is added");
        assertEquals(new Properties(), s.asProperties("flink."));
        s.asProperties("kafka.").setProperty("acks", "0");
        assertEquals("1", s.asProperties("kafka.").getProperty("acks"), "a fresh copy each call");
    }

    @Test
    void unknownKeysListsFileAndEnvironmentKeysNoOneKnows() {
        Settings s = settings(Map.of("scheduler.max.attempts", "3"),
                "scheduler.max.attempts=4\nscheduler.max.atempts=5\nkafka.linger.ms=5\nrouter.weight=1\n",
                Map.of("EDGEWEAVE_SCHEDULER_TIMEOUT", "5s", "EDGEWEAVE_DB_PASSWORD", "x",
                        "EDGEWEAVE_KAFKA_ACKS", "all"));
        assertEquals(Set.of("scheduler.max.atempts", "router.weight", "scheduler.timeout"),
                s.unknownKeys(Set.of("db.password", "kafka.")));
        assertEquals(Set.of("db.password", "kafka.acks", "kafka.linger.ms", "router.weight",
                "scheduler.max.atempts", "scheduler.timeout"), s.unknownKeys(Set.of()));
    }

    @Test
    void anEnvironmentOnlyKeyIsListedWithDotsAndReadableByItsOwnName() {
        Settings s = settings(Map.of("a.b-c", "known"), null,
                Map.of("EDGEWEAVE_A_B_C", "1", "EDGEWEAVE_X_Y_Z", "2"));
        assertEquals(Set.of("a.b-c", "x.y.z"), s.keys());
        assertEquals("1", s.string("a.b-c"));
        assertEquals("2", s.string("x.y-z"));
        assertEquals("2", s.string("x.y.z"));
    }

    // ---- the file ------------------------------------------------------------------------------------------

    @Test
    void missingFileErrorNamesThePath() {
        Path missing = dir.resolve("nope.properties");
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.load(Map.of(), Optional.of(missing), Map.of(), PREFIX));
        assertMessage(e, missing.toString(), "does not exist");
        assertMessage(assertThrows(SettingsException.class,
                () -> Settings.load(Map.of(), Optional.of(dir), Map.of(), PREFIX)), dir.toString());
    }

    @Test
    void unreadableFileErrorNamesThePath() throws IOException {
        Files.write(file, new byte[] {'a', '=', (byte) 0xC3, (byte) 0x28});
        assertMessage(assertThrows(SettingsException.class,
                () -> Settings.load(Map.of(), Optional.of(file), Map.of(), PREFIX)), file.toString(), "UTF-8");
        Files.writeString(file, "a.b=\\uZZZZ\n");
        assertMessage(assertThrows(SettingsException.class,
                () -> Settings.load(Map.of(), Optional.of(file), Map.of(), PREFIX)), file.toString());
    }

    @Test
    void fileIsReadAsUtf8WithPropertiesSyntax() {
        Settings s = settings(Map.of(), "# comment\ncity.name = Bristol — 7\nlong.value = a\\\n  b\n", Map.of());
        assertEquals("Bristol — 7", s.string("city.name"));
        assertEquals("ab", s.string("long.value"));
    }

    // ---- fromSystem ----------------------------------------------------------------------------------------

    @Test
    void fromSystemFindsTheFileByPropertyThenVariable() throws IOException {
        Path other = dir.resolve("other.properties");
        Files.writeString(file, "a.b=by-property\n");
        Files.writeString(other, "a.b=by-variable\n");
        Properties sys = new Properties();
        sys.setProperty("edgeweave.config", file.toString());
        Map<String, String> env = Map.of("EDGEWEAVE_CONFIG", other.toString());
        Map<String, String> defaults = Map.of("a.b", "default");

        assertEquals("by-property", Settings.fromSystem(defaults, PREFIX, sys, env).string("a.b"));
        assertEquals("by-variable", Settings.fromSystem(defaults, PREFIX, new Properties(), env).string("a.b"));
        assertEquals("default", Settings.fromSystem(defaults, PREFIX, new Properties(), Map.of()).string("a.b"));
        assertFalse(Settings.fromSystem(defaults, PREFIX, new Properties(), env).keys().contains("config"));

        Path missing = dir.resolve("missing.properties");
        assertMessage(assertThrows(SettingsException.class, () -> Settings.fromSystem(defaults, PREFIX,
                new Properties(), Map.of("EDGEWEAVE_CONFIG", missing.toString()))), missing.toString());
    }

    @Test
    void fromSystemReadsThisJvm() {
        Settings s = Settings.fromSystem(Map.of("a.b", "1"), "EDGEWEAVE_CONFIG_TEST_UNLIKELY");
        assertEquals("1", s.string("a.b"));
    }
}
