import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java half of infra/broker.sh, compiled by it against the broker's classpath (infra/.broker/tool).
 *
 * <ul>
 *   <li>{@code format <server.properties> [scram]}: formats the storage with a fresh cluster id through
 *       {@code kafka.tools.StorageTool}, in this process, so a SCRAM password read from the environment is
 *       never on a command line that {@code ps} shows.</li>
 *   <li>{@code ready <bootstrap> --timeout-ms N [--pid P] [scram]}: waits until the broker answers a real
 *       DescribeCluster request and lists itself as an unfenced node; fails early when process P dies.</li>
 *   <li>{@code produce <bootstrap> <topic> <value> [scram]}: creates the topic (1 partition) and writes one record.</li>
 *   <li>{@code consume <bootstrap> <topic> <value> --timeout-ms N [scram]}: reads the topic from the start until
 *       that value arrives, then deletes the topic.</li>
 * </ul>
 * {@code [scram]} is {@code --scram-user NAME --scram-password-env VAR}. Exit code 0 on success, 1 with a
 * one-line reason on stderr otherwise.
 */
public final class BrokerTool {

    private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private BrokerTool() {
    }

    public static void main(String[] argv) {
        try {
            Args args = Args.parse(argv);
            switch (args.command) {
                case "format" -> format(args);
                case "ready" -> ready(args);
                case "produce" -> produce(args);
                case "consume" -> consume(args);
                default -> throw new Failure("unknown command '" + args.command + "'");
            }
        } catch (Failure e) {
            System.err.println("broker-tool: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("broker-tool: " + describe(e));
            System.exit(1);
        }
    }

    private static void format(Args args) throws Exception {
        Path config = Path.of(args.positional(0, "server.properties"));
        if (!Files.isRegularFile(config)) {
            throw new Failure("no such config file: " + config);
        }
        // Same form as `StorageTool random-uuid`, without paying for a second JVM.
        String clusterId = Uuid.randomUuid().toString();
        List<String> storageArgs = new ArrayList<>(List.of(
                "format", "--standalone", "-t", clusterId, "-c", config.toString()));
        List<String> shown = new ArrayList<>(storageArgs);
        Optional<Credentials> scram = args.credentials();
        if (scram.isPresent()) {
            Credentials c = scram.get();
            storageArgs.add("--add-scram");
            storageArgs.add(SCRAM_MECHANISM + "=[name=" + c.user + ",password=" + c.password + "]");
            shown.add("--add-scram");
            shown.add(SCRAM_MECHANISM + "=[name=" + c.user + ",password=<from $" + c.passwordEnv + ">]");
        }
        System.out.println("kafka.tools.StorageTool " + String.join(" ", shown));
        // StorageTool.main ends the JVM itself, with its own exit code.
        kafka.tools.StorageTool.main(storageArgs.toArray(String[]::new));
    }

    private static void ready(Args args) throws Exception {
        String bootstrap = args.positional(0, "bootstrap");
        long timeoutMs = args.longOption("--timeout-ms", 60_000);
        Optional<ProcessHandle> broker = args.option("--pid").map(Long::parseLong).flatMap(ProcessHandle::of);
        if (args.option("--pid").isPresent() && broker.isEmpty()) {
            throw new Failure("broker process " + args.option("--pid").get() + " is not running");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Properties props = clientProps(bootstrap, args);
        // Retry connecting every 100-250 ms while the broker starts, instead of backing off up to 1 s.
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "250");
        String lastError = "no answer yet";
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() - deadline < 0) {
                if (broker.isPresent() && !broker.get().isAlive()) {
                    throw new Failure("broker process " + broker.get().pid() + " exited while starting");
                }
                try {
                    long attemptMs = Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    var nodes = admin.describeCluster().nodes().get(attemptMs, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        System.out.println("ready: " + nodes.stream().map(Node::toString).reduce((a, b) -> a + ", " + b).orElse(""));
                        return;
                    }
                    lastError = "the broker lists no unfenced node yet";
                } catch (java.util.concurrent.TimeoutException e) {
                    lastError = "no answer within 1 s";
                } catch (ExecutionException e) {
                    lastError = describe(e.getCause());
                    if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException) {
                        throw new Failure("authentication failed: " + lastError);
                    }
                    Thread.sleep(100);
                }
            }
        }
        throw new Failure("not ready within " + timeoutMs + " ms (last: " + lastError + ")");
    }

    private static void produce(Args args) throws Exception {
        String bootstrap = args.positional(0, "bootstrap");
        String topic = args.positional(1, "topic");
        String value = args.positional(2, "value");
        Properties props = clientProps(bootstrap, args);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        }
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, "smoke", value)).get(30, TimeUnit.SECONDS);
            System.out.println("produced to " + sent.topic() + "-" + sent.partition() + "@" + sent.offset());
        }
    }

    private static void consume(Args args) throws Exception {
        String bootstrap = args.positional(0, "bootstrap");
        String topic = args.positional(1, "topic");
        String expected = args.positional(2, "value");
        long timeoutMs = args.longOption("--timeout-ms", 30_000);
        Properties props = clientProps(bootstrap, args);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean found = false;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (!found && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (expected.equals(record.value())) {
                        System.out.println("consumed from " + record.topic() + "-" + record.partition() + "@" + record.offset()
                                + ": " + record.value());
                        found = true;
                    }
                }
            }
        }
        if (!found) {
            throw new Failure("value '" + expected + "' not read from " + topic + " within " + timeoutMs + " ms");
        }
        try (Admin admin = Admin.create(clientProps(bootstrap, args))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Properties clientProps(String bootstrap, Args args) throws Failure {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Optional<Credentials> scram = args.credentials();
        if (scram.isPresent()) {
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            props.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"" + scram.get().user + "\" password=\"" + scram.get().password + "\";");
        }
        return props;
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            out.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return out.toString();
    }

    /** A failure whose message is the whole story; printed without a stack trace. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private record Credentials(String user, String passwordEnv, String password) {
    }

    private static final class Args {
        private final String command;
        private final List<String> positional = new ArrayList<>();
        private final Properties options = new Properties();

        private Args(String command) {
            this.command = command;
        }

        static Args parse(String[] argv) throws Failure {
            if (argv.length == 0) {
                throw new Failure("usage: BrokerTool format|ready|produce|consume ...");
            }
            Args args = new Args(argv[0]);
            for (int i = 1; i < argv.length; i++) {
                if (argv[i].startsWith("--")) {
                    if (i + 1 >= argv.length) {
                        throw new Failure("option " + argv[i] + " needs a value");
                    }
                    args.options.setProperty(argv[i], argv[++i]);
                } else {
                    args.positional.add(argv[i]);
                }
            }
            return args;
        }

        String positional(int index, String name) throws Failure {
            if (index >= positional.size()) {
                throw new Failure(command + ": missing argument <" + name + ">");
            }
            return positional.get(index);
        }

        Optional<String> option(String name) {
            return Optional.ofNullable(options.getProperty(name));
        }

        long longOption(String name, long fallback) throws Failure {
            String value = options.getProperty(name);
            try {
                return value == null ? fallback : Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new Failure(name + " must be a number, was '" + value + "'");
            }
        }

        /** The SCRAM login, the password read from the named environment variable (never from argv). */
        Optional<Credentials> credentials() throws Failure {
            Optional<String> user = option("--scram-user");
            Optional<String> env = option("--scram-password-env");
            if (user.isEmpty() && env.isEmpty()) {
                return Optional.empty();
            }
            if (user.isEmpty() || env.isEmpty()) {
                throw new Failure("--scram-user and --scram-password-env go together");
            }
            String password = System.getenv(env.get());
            if (password == null || password.isEmpty()) {
                throw new Failure("environment variable " + env.get() + " (the SCRAM password) is not set");
            }
            return Optional.of(new Credentials(user.get(), env.get(), password));
        }
    }
}
