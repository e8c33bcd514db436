package dev.edgeweave.testbed.bench;

import dev.edgeweave.config.Settings;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.scheduler.CityState;
import dev.edgeweave.scheduler.Dispatcher;
import dev.edgeweave.scheduler.SchedulerApp;
import dev.edgeweave.scheduler.SchedulerConfig;
import dev.edgeweave.scheduler.SchedulerCounters;
import dev.edgeweave.scheduler.SchedulerTopology;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testbed.engine.EngineSetup;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.Workload;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import dev.edgeweave.testbed.workload.WorkloadOptions;
import dev.edgeweave.testing.kafka.EmbeddedKafka;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.ReasonCode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * {@code ./edgeweave bench scheduler}: the streams scheduler's throughput beside a pass-through topology's,
 * and the time of one routing decision, on the {@code city-100} scenario (issue 4, "Benchmark").
 *
 * <p><b>The city.</b> city-100's 100 servers and 20 models, its static placement (the testbed's
 * {@link EngineSetup#staticPlacement()}) published on {@code node-state} as the connectors would report it
 * once loaded ({@link PlacementStates}); no link telemetry, so paths are the city map's, as in the testbed.
 * The scheduler's clock is fixed at the instant the states were published: every heartbeat stays fresh and
 * no prompt (created then, with a day's SLO) is late, however long a run takes.
 *
 * <p><b>Throughput.</b> N prompts ({@link BenchPrompts}: city-100's workload generator, seed 1) are produced
 * once to a prompts topic of {@link Topics#PROMPT_PARTITIONS} partitions. Then each run starts one
 * {@code KafkaStreams} with a fresh application id and the scheduler app's own Streams properties at their
 * documented defaults ({@link SchedulerApp#streamsProperties}: {@code exactly_once_v2}, the commit interval of
 * {@link SchedulerConfig}) and one stream thread, reading that topic from the start:
 * <ul>
 *   <li><b>routed</b>: the real {@link SchedulerTopology} — admission, duplicate check, routing over the
 *       100 servers, in-flight ledger, a {@code RoutedPrompt} to {@code node.<id>.prompts};</li>
 *   <li><b>pass-through</b>: {@link PassThroughTopology} — decode, re-encode, one output topic.</li>
 * </ul>
 * A run's rate is N over the time from its first prompt processed until the offsets of all N are committed
 * (so the last transaction counts), start-up and rebalance excluded alike. Uncounted warm-up runs of both
 * come first (the JIT's work on the code both share would otherwise fall on whichever is measured first);
 * then the counted runs alternate which topology goes first; each figure is the median of its runs. The routed run must route every prompt: a rejection or
 * dead letter fails the benchmark rather than flattering it.
 *
 * <p><b>Decision time.</b> {@link DecisionTimer} over a {@link Dispatcher} on a {@link CityState} fed the
 * same 100 states, before the broker starts (so it does not compete for the cores).
 */
public final class SchedulerBench {

    /** The scenario the issue names. */
    public static final String SCENARIO = "city-100";
    /** Warm-up rounds and decisions per round before the decisions are timed. */
    public static final int WARMUP_ROUNDS = 5;
    public static final int WARMUP_DECISIONS = 100_000;
    /** Decisions timed one by one. */
    public static final int TIMED_DECISIONS = 200_000;

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Where the runs' state stores live while they run (deleted after each run). */
    static final Path STATE_PARENT = Path.of("target", "bench");

    /**
     * @param records   prompts per run (at least 1)
     * @param runs      runs of each topology; each figure is their median
     * @param warmups   uncounted runs of each topology before the counted ones
     * @param bootstrap a broker to use instead of starting one in this JVM
     * @param timeout   how long one run may take before the benchmark gives up
     */
    public record Options(long records, int runs, int warmups, Optional<String> bootstrap, Duration timeout) {
        public Options {
            if (records < 1) {
                throw new IllegalArgumentException("--records must be >= 1, was " + records);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be >= 1, was " + runs);
            }
            if (warmups < 0) {
                throw new IllegalArgumentException("--warmups must be >= 0, was " + warmups);
            }
        }
    }

    /** The scheduler app's configuration with every key at its documented default. */
    static final SchedulerConfig APP_DEFAULTS = SchedulerConfig.from(Settings.load(SchedulerConfig.DEFAULTS,
            Optional.empty(), Map.of(), SchedulerConfig.ENV_PREFIX));

    private final PrintStream log;

    /** @param log where progress goes (standard error) */
    public SchedulerBench(PrintStream log) {
        this.log = log;
    }

    /** Runs the whole benchmark. */
    public SchedulerBenchResult run(Options o) throws Exception {
        long start = System.nanoTime();
        Scenario sc = new ScenarioLoader().load(SCENARIO);
        WorkloadGenerator generator = WorkloadGenerator.forScenario(sc);
        Evaluation evaluation = new Evaluation(sc, generator);
        EngineSetup setup = evaluation.setup();
        List<String> serverIds = setup.servers().stream().map(EdgeServer::id).toList();
        int placed = setup.servers().stream().mapToInt(s -> setup.staticPlacement().deploymentsOf(s.id()).size()).sum();
        Workload workload = generator.generate(WorkloadOptions.of(1, evaluation.referenceRate()));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Clock clock = Clock.fixed(t, ZoneOffset.UTC);
        List<NodeState> states = PlacementStates.of(setup.servers(), setup.staticPlacement(), sc.models(), t, 1);
        say("%s: %d servers, %d models, %d deployments in the static placement; workload of %,d prompts (seed 1); "
                + "%.1f s", sc.name(), serverIds.size(), sc.models().models().size(), placed, workload.size(), secs(start));

        // ---- decision time, before the broker competes for the cores -------------------------------------
        CityState decisionCity = new CityState(sc.gpus(), Set.copyOf(serverIds));
        long[] sequence = {0};
        Runnable heartbeat = () -> {
            sequence[0]++;
            for (NodeState s : PlacementStates.of(setup.servers(), setup.staticPlacement(), sc.models(), t, sequence[0])) {
                decisionCity.update(s.getNodeId(), s);
            }
        };
        heartbeat.run();
        DecisionTimer timer = new DecisionTimer(new Dispatcher(decisionCity, Optional.of(sc.city()),
                APP_DEFAULTS.scheduler()), heartbeat, workload, sc.models(), TIMED_DECISIONS, t);
        long w0 = System.nanoTime();
        timer.warmUp(WARMUP_ROUNDS, WARMUP_DECISIONS);
        say("decision time: warm-up %d x %,d decisions in %.1f s", WARMUP_ROUNDS, WARMUP_DECISIONS, secs(w0));
        DecisionTimer.Timing timing = timer.time(TIMED_DECISIONS);
        say("decision time over %,d decisions (%d candidates on average): p50 %.2f us, p90 %.2f us, p99 %.2f us, "
                        + "p99.9 %.2f us, max %.1f us, mean %.2f us", timing.decisions(), timing.candidates(),
                timing.p50Nanos() / 1e3, timing.p90Nanos() / 1e3, timing.p99Nanos() / 1e3, timing.p999Nanos() / 1e3,
                timing.maxNanos() / 1e3, timing.meanNanos() / 1e3);

        // ---- the broker ------------------------------------------------------------------------------------
        EmbeddedKafka embedded = null;
        String bootstrap = o.bootstrap().orElse(null);
        if (bootstrap == null) {
            long b0 = System.nanoTime();
            // The test kit's storage format prints to standard output, which is the JSON line's.
            embedded = EmbeddedKafka.startQuietly(log);
            bootstrap = embedded.bootstrapServers();
            say("in-JVM Kafka broker (KRaft) ready at %s in %.1f s", bootstrap, secs(b0));
        } else {
            say("using the Kafka broker at %s", bootstrap);
        }
        // Under target/ rather than the OS temp directory, which Kafka Streams warns may be cleared under it.
        Files.createDirectories(STATE_PARENT);
        Path stateRoot = Files.createTempDirectory(STATE_PARENT, "scheduler-");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Throughput tp = new Throughput(admin, bootstrap, stateRoot, sc, serverIds, clock, o);
            tp.prepare(states, new BenchPrompts(workload, t));
            // Warm-up runs first, of both and uncounted: the JVM compiles the client, broker and Streams code
            // they share (about 30 s of compiler time on two cores), and the first run measured would pay for it.
            for (int w = 1; w <= o.warmups(); w++) {
                say("warm-up %d of %d (not counted)", w, o.warmups());
                tp.routed(-w);
                tp.passThrough(-w);
            }
            double[] routed = new double[o.runs()];
            double[] passThrough = new double[o.runs()];
            for (int r = 0; r < o.runs(); r++) {
                // Alternate which goes first, so neither gains from the other's warm-up or loses to its garbage.
                if (r % 2 == 0) {
                    routed[r] = tp.routed(r + 1);
                    passThrough[r] = tp.passThrough(r + 1);
                } else {
                    passThrough[r] = tp.passThrough(r + 1);
                    routed[r] = tp.routed(r + 1);
                }
            }
            SchedulerBenchResult result = new SchedulerBenchResult(SchedulerBenchResult.median(routed),
                    SchedulerBenchResult.median(passThrough), timing.p99Micros(), serverIds.size(),
                    sc.models().models().size(), o.records());
            say("routed %s/s, pass-through %s/s (medians of %d runs), ratio %.3f; whole benchmark %.0f s",
                    rates(routed), rates(passThrough), o.runs(), result.ratio(), secs(start));
            return result;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            deleteRecursively(stateRoot);
        }
    }

    /** The Kafka part: topics, the prompts, and one run of either topology. */
    private final class Throughput {
        private final Admin admin;
        private final String bootstrap;
        private final Path stateRoot;
        private final Scenario scenario;
        private final List<String> serverIds;
        private final Clock clock;
        private final Options options;
        private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        private final SchedulerTopology.Names names;
        private final String passThroughOut = prefix + "prompts-passed";

        Throughput(Admin admin, String bootstrap, Path stateRoot, Scenario scenario, List<String> serverIds,
                   Clock clock, Options options) {
            this.admin = admin;
            this.bootstrap = bootstrap;
            this.stateRoot = stateRoot;
            this.scenario = scenario;
            this.serverIds = serverIds;
            this.clock = clock;
            this.options = options;
            SchedulerTopology.Names std = SchedulerTopology.Names.standard();
            names = new SchedulerTopology.Names(prefix + std.prompts(), prefix + std.results(),
                    prefix + std.completions(), prefix + std.rejections(), prefix + std.deadLetters(),
                    prefix + std.nodeState(), prefix + std.telemetry(), prefix + std.policy());
        }

        void prepare(List<NodeState> states, BenchPrompts prompts) throws Exception {
            long t0 = System.nanoTime();
            List<Topic<?, ?>> topics = new ArrayList<>();
            topics.add(renamed(Topics.PROMPTS, names.prompts()));
            topics.add(renamed(Topics.NODE_RESULTS, names.results()));
            topics.add(renamed(Topics.PROMPT_COMPLETIONS, names.completions()));
            topics.add(renamed(Topics.PROMPT_REJECTIONS, names.rejections()));
            topics.add(renamed(Topics.PROMPTS_DLQ, names.deadLetters()));
            topics.add(renamed(Topics.NODE_STATE, names.nodeState()));
            topics.add(renamed(Topics.NETWORK_TELEMETRY, names.telemetry()));
            topics.add(renamed(Topics.ROUTING_POLICY, names.policy()));
            topics.add(renamed(Topics.PROMPTS, passThroughOut));
            // The servers' topics keep their real names: the scheduler's topic-name extractor writes there.
            for (String id : serverIds) {
                topics.add(Topics.nodePrompts(id));
            }
            new TopicAdmin(admin, (short) 1, ADMIN_TIMEOUT).ensure(topics);
            awaitLeaders(topics.stream().map(Topic::name).toList());
            say("created %d topics in %.1f s", topics.size(), secs(t0));

            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
                AvroCodec<NodeState> nodeCodec = AvroCodec.of(NodeState.class);
                for (NodeState s : states) {
                    producer.send(new ProducerRecord<>(names.nodeState(), utf8(s.getNodeId()), nodeCodec.encode(s)))
                            .get();
                }
                long p0 = System.nanoTime();
                AvroCodec<Prompt> codec = AvroCodec.of(Prompt.class);
                AtomicReference<Exception> failed = new AtomicReference<>();
                long bytes = 0;
                for (long i = 0; i < options.records(); i++) {
                    Prompt p = prompts.prompt(i);
                    byte[] value = codec.encode(p);
                    bytes += value.length;
                    producer.send(new ProducerRecord<>(names.prompts(), utf8(p.getPromptId()), value), (m, e) -> {
                        if (e != null) {
                            failed.compareAndSet(null, e);
                        }
                    });
                    if (failed.get() != null) {
                        break;
                    }
                    if ((i + 1) % 250_000 == 0) {
                        say("produced %,d prompts", i + 1);
                    }
                }
                producer.flush();
                if (failed.get() != null) {
                    throw new IllegalStateException("producing the prompts failed: " + failed.get().getMessage(),
                            failed.get());
                }
                say("produced %,d prompts (%d distinct workload entries, %.0f bytes each on average) to %s in %.1f s",
                        options.records(), Math.min(options.records(), prompts.distinct()),
                        (double) bytes / options.records(), names.prompts(), secs(p0));
            }
            long end = endOffsets(names.prompts());
            if (end != options.records()) {
                throw new IllegalStateException(names.prompts() + " holds " + end + " records, expected "
                        + options.records());
            }
        }

        double routed(int run) throws Exception {
            SchedulerCounters counters = new SchedulerCounters();
            CityState city = new CityState(scenario.gpus(), Set.copyOf(serverIds));
            Topology topology = SchedulerTopology.build(names, scenario.models(), city, Optional.of(scenario.city()),
                    APP_DEFAULTS.scheduler(), clock, counters);
            LongSupplier finished = () -> counters.routed() + counters.deadLettered() + rejected(counters);
            double rate = measure("routed", run, topology, counters::routed, finished);
            long rejected = rejected(counters);
            if (counters.routed() != options.records() || rejected != 0 || counters.deadLettered() != 0) {
                throw new IllegalStateException(String.format(Locale.ROOT, "the routed run did not route every "
                                + "prompt: routed %d, rejected %d, dead-lettered %d of %d", counters.routed(), rejected,
                        counters.deadLettered(), options.records()));
            }
            return rate;
        }

        double passThrough(int run) throws Exception {
            AtomicLong decoded = new AtomicLong();
            Topology topology = PassThroughTopology.build(names.prompts(), passThroughOut, decoded);
            return measure("pass-through", run, topology, decoded::get, decoded::get);
        }

        private double measure(String what, int run, Topology topology, LongSupplier progress, LongSupplier finished)
                throws Exception {
            String appId = prefix + what + (run < 0 ? "-warmup" + -run : "-" + run);
            long n = options.records();
            System.gc();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            KafkaStreams streams = new KafkaStreams(topology, streamsProps(appId));
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            long started = System.nanoTime();
            long first = 0;
            double seconds;
            try {
                streams.start();
                long deadline = started + options.timeout().toNanos();
                long nextReport = started + TimeUnit.SECONDS.toNanos(10);
                while (finished.getAsLong() < n) {
                    check(failure, streams, deadline, what);
                    long now = System.nanoTime();
                    if (first == 0 && progress.getAsLong() > 0) {
                        first = now;
                    }
                    if (now >= nextReport) {
                        say("  %s run %d: %,d of %,d", what, run, finished.getAsLong(), n);
                        nextReport = now + TimeUnit.SECONDS.toNanos(10);
                    }
                    Thread.sleep(1);
                }
                if (first == 0) {
                    first = System.nanoTime();
                }
                // Done when the offsets of all N are committed: with exactly-once that is when the last
                // transaction, and with it the last output, became visible.
                while (committed(appId) < n) {
                    check(failure, streams, deadline, what);
                    Thread.sleep(5);
                }
                seconds = (System.nanoTime() - first) / 1e9;
            } finally {
                streams.close(Duration.ofSeconds(60));
                deleteRecursively(stateRoot.resolve(appId));
            }
            deleteInternalTopics(appId);
            double rate = n / seconds;
            say("%s %-12s %,d prompts in %6.2f s = %,10.0f prompts/s (start-up %.1f s)",
                    run < 0 ? "warm-up " + -run : "run " + run, what, n, seconds, rate, (first - started) / 1e9);
            return rate;
        }

        private void check(AtomicReference<Throwable> failure, KafkaStreams streams, long deadline, String what) {
            if (failure.get() != null) {
                throw new IllegalStateException("the " + what + " app failed: " + failure.get(), failure.get());
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the " + what + " app stopped (" + streams.state() + ")");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the " + what + " run took longer than " + options.timeout());
            }
        }

        /**
         * The scheduler app's own Kafka Streams properties ({@link SchedulerApp#streamsProperties}: exactly-once,
         * its documented commit interval, its exception handler), with the run's application id, this broker
         * and a state directory of the run's; the pass-through runs on the very same properties.
         */
        private Properties streamsProps(String appId) {
            Map<String, String> settings = new HashMap<>(SchedulerConfig.DEFAULTS);
            settings.put(SchedulerConfig.BOOTSTRAP, bootstrap);
            settings.put(SchedulerConfig.APPLICATION_ID, appId);
            settings.put(SchedulerConfig.STATE_DIR, stateRoot.resolve(appId).toString());
            Properties p = SchedulerApp.streamsProperties(Settings.load(settings, Optional.empty(), Map.of(),
                    SchedulerConfig.ENV_PREFIX));
            // One stream thread, Kafka's default and the app's: the same for both topologies.
            p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            return p;
        }

        private Properties producerProps() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
            return p;
        }

        private long committed(String groupId) throws Exception {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long sum = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                if (e.getKey().topic().equals(names.prompts()) && e.getValue() != null) {
                    sum += e.getValue().offset();
                }
            }
            return sum;
        }

        private long endOffsets(String topic) throws Exception {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            d.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()
                    .stream().mapToLong(r -> r.offset()).sum();
        }

        private void awaitLeaders(List<String> topics) throws Exception {
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (true) {
                try {
                    Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null))) {
                        return;
                    }
                } catch (ExecutionException metadataLagging) {
                    // A broker's metadata may trail the controller for a moment after creation: ask again.
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the benchmark's topics have no leader after " + ADMIN_TIMEOUT);
                }
                Thread.sleep(20);
            }
        }

        /** The run's changelog topics: gone with the run, so every run starts from the same broker. */
        private void deleteInternalTopics(String appId) throws Exception {
            List<String> internal = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream().filter(n -> n.startsWith(appId + "-")).toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static long rejected(SchedulerCounters counters) {
        long sum = 0;
        for (ReasonCode r : ReasonCode.values()) {
            sum += counters.rejected(r);
        }
        return sum;
    }

    private static <K, V> Topic<K, V> renamed(Topic<K, V> t, String name) {
        return new Topic<>(name, t.keySerde(), t.valueSerde(), t.partitions(), t.configs());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String rates(double[] r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%,.0f", SchedulerBenchResult.median(r)));
        if (r.length > 1) {
            b.append(" (");
            for (int i = 0; i < r.length; i++) {
                b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", r[i]));
            }
            b.append(')');
        }
        return b.toString();
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void say(String format, Object... args) {
        log.println("bench: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the benchmark's state under " + root, e);
        }
    }
}
