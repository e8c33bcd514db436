package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.config.KafkaClientSettings;
import dev.edgeweave.config.Settings;
import dev.edgeweave.connector.ConnectorMain;
import dev.edgeweave.planner.PlannerMain;
import dev.edgeweave.scheduler.SchedulerApp;
import dev.edgeweave.schemas.topic.KafkaAccess;
import dev.edgeweave.testbed.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/SCRAM end to end, against a broker process started by {@code infra/broker.sh --scram-user
 * --scram-password-env} (its listener takes SCRAM-SHA-512 only; the user is created when its storage is
 * formatted), with a password made for this run and passed only through environments:
 * <ul>
 *   <li>a short lab pointed at it with {@code --bootstrap} and the client settings: the scheduler, the planner,
 *       a connector per server and the lab's own clients all log in, and prompts complete;</li>
 *   <li>the command line's {@code produce} and {@code tail} with the right password work;</li>
 *   <li>the scheduler, a connector, the planner and {@code produce}, each started as its own process the way
 *       its main runs, with a wrong password: each exits non-zero at start with the one clear message naming the
 *       bootstrap, the user, the mechanism and the password's variable, never the password.</li>
 * </ul>
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ScramIT {

    private static final String USER = "edgeweave";
    private static final String PASSWORD_ENV = "SCRAM_IT_PASSWORD";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;

    private static String password;
    private static BrokerProcess broker;

    @BeforeAll
    static void startScramBroker() throws Exception {
        password = randomHex();
        broker = BrokerProcess.startScram(BrokerProcess.repoRoot(), dir.resolve("broker"), Duration.ofSeconds(90),
                System.err, USER, PASSWORD_ENV, password);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String randomHex() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The client settings of a component whose environment holds the user and {@code pw}. */
    private static Map<String, String> clientEnvironment(String pw) {
        return Map.of("EDGEWEAVE_KAFKA_BOOTSTRAP", broker.bootstrap(), "EDGEWEAVE_KAFKA_SASL_USERNAME", USER,
                "EDGEWEAVE_KAFKA_SASL_PASSWORD", pw);
    }

    @Test
    void theWholePipelineRunsOverScram() throws Exception {
        KafkaClientSettings kafka = KafkaClientSettings.from(Settings.load(Map.of(), Optional.empty(),
                clientEnvironment(password), "EDGEWEAVE"));
        assertEquals("SASL_PLAINTEXT", kafka.securityProtocol());
        Lab.Result r = new Lab(System.err).run(new Lab.Options("bristol-7", 6, 10, 1, 1.0, Optional.empty(),
                List.of(), List.of(), Duration.ofMillis(50), 2, Duration.ofSeconds(60)),
                new Lab.Where(Optional.of(broker.bootstrap()), OptionalInt.empty(), dir, kafka));
        Lab.Pipeline p = r.pipeline();
        assertTrue(p.produced() > 100, p.toString());
        assertTrue(p.completed() > p.produced() * 0.9, "prompts completed over SCRAM: " + p);
        assertEquals(0, p.lost(), p.toString());
        assertTrue(r.invariants().holds(), r.invariants().toString());
    }

    @Test
    void theCommandLineProducesAndTailsOverScram() throws Exception {
        Path prompts = dir.resolve("prompts.jsonl");
        String id = "scram-" + randomHex();
        Files.writeString(prompts, "{\"promptId\": \"" + id + "\", \"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": "
                + "{\"inputTokens\": 20, \"outputTokens\": 10}, \"content\": {\"text\": \"hello\"}}\n");
        Child produce = run(Main.class, clientEnvironment(password), "produce", prompts.toString(), "--bootstrap",
                broker.bootstrap());
        assertEquals(0, produce.exit(), produce.output());
        assertTrue(produce.output().contains(id), produce.output());
        Child tail = run(Main.class, clientEnvironment(password), "tail", "prompts", "-n", "0", "--bootstrap",
                broker.bootstrap());
        assertEquals(0, tail.exit(), tail.output());
        assertTrue(tail.output().contains(id), tail.output());
    }

    @Test
    void aWrongPasswordStopsEveryComponentAtStartWithOneClearMessage() throws Exception {
        String wrong = randomHex();
        Map<String, String> env = new LinkedHashMap<>(clientEnvironment(wrong));
        env.put("EDGEWEAVE_SCHEDULER_HTTP_PORT", "0");
        env.put("EDGEWEAVE_SCHEDULER_STATE_DIR", dir.resolve("streams").toString());
        env.put("EDGEWEAVE_CONNECTOR_NODE_ID", "edge-scram");
        env.put("EDGEWEAVE_CONNECTOR_HTTP_PORT", "0");
        env.put("EDGEWEAVE_PLANNER_METRICS_PORT", "0");
        Path prompts = dir.resolve("one.jsonl");
        Files.writeString(prompts, "{\"modelId\": \"llama-3.1-8b-instruct\", \"sizes\": {\"inputTokens\": 20}, "
                + "\"content\": {\"text\": \"hello\"}}\n");

        Map<String, Launched> children = new LinkedHashMap<>();
        children.put("scheduler", launch(SchedulerApp.class, env));
        children.put("connector", launch(ConnectorMain.class, env));
        children.put("planner", launch(PlannerMain.class, env));
        children.put("produce", launch(Main.class, env, "produce", prompts.toString(), "--bootstrap",
                broker.bootstrap()));
        try {
            String expected = "Kafka at " + broker.bootstrap() + " refused the login of user '" + USER
                    + "' with SCRAM-SHA-512 over SASL_PLAINTEXT, password from environment variable "
                    + "EDGEWEAVE_KAFKA_SASL_PASSWORD; check the user and that password";
            for (Map.Entry<String, Launched> e : children.entrySet()) {
                Child c = await(e.getValue());
                String what = e.getKey() + " said:\n" + c.output();
                assertEquals(1, c.exit(), what);
                assertTrue(c.output().contains(expected), what);
                assertFalse(c.output().contains(wrong) || c.output().contains(password), "no password in " + what);
                // One refusal, not a client retrying: Kafka's own line for it at most twice (admin connect, close).
                long refusals = c.output().lines().filter(l -> l.contains("failed authentication")).count();
                assertTrue(refusals <= 2, refusals + " refusals logged: " + what);
            }
        } finally {
            children.values().forEach(l -> l.process().destroyForcibly());
        }
        // The check is what failed them: the right password passes it.
        KafkaAccess.check(broker.bootstrap(), KafkaClientSettings.from(Settings.load(Map.of(), Optional.empty(),
                clientEnvironment(password), "EDGEWEAVE")), Duration.ofSeconds(30));
    }

    private record Child(int exit, String output) {
    }

    /** A child JVM and the file its standard output and error go to. */
    private record Launched(Process process, Path log) {
    }

    /** {@code main} of {@code mainClass} in a JVM of its own, on this test's classpath, with {@code env} only. */
    private static Launched launch(Class<?> mainClass, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve(mainClass.getSimpleName() + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EDGEWEAVE"));
        pb.environment().putAll(env);
        return new Launched(pb.start(), log);
    }

    private static Child run(Class<?> mainClass, Map<String, String> env, String... args) throws Exception {
        return await(launch(mainClass, env, args));
    }

    private static Child await(Launched l) throws Exception {
        if (!l.process().waitFor(90, TimeUnit.SECONDS)) {
            l.process().destroyForcibly();
            throw new AssertionError("still running after 90 s:\n" + Files.readString(l.log(), StandardCharsets.UTF_8));
        }
        return new Child(l.process().exitValue(), Files.readString(l.log(), StandardCharsets.UTF_8));
    }
}
