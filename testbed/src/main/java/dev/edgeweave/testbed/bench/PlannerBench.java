package dev.edgeweave.testbed.bench;

import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.planner.CityEvent;
import dev.edgeweave.planner.KafkaIO;
import dev.edgeweave.planner.PlannerJob;
import dev.edgeweave.planner.PlannerMain;
import dev.edgeweave.planner.PlannerSettings;
import dev.edgeweave.schemas.ModelClasses;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.testbed.evaluate.Evaluation;
import dev.edgeweave.testbed.scenario.Scenario;
import dev.edgeweave.testbed.scenario.ScenarioLoader;
import dev.edgeweave.testbed.workload.Workload;
import dev.edgeweave.testbed.workload.WorkloadGenerator;
import dev.edgeweave.testbed.workload.WorkloadOptions;
import dev.edgeweave.testing.kafka.EmbeddedKafka;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.LatencyBreakdown;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.WindowSummary;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./edgeweave bench planner}: the planner job's throughput through its short windows and the latency
 * of a window's summary, on a local Flink MiniCluster and the in-JVM broker (issue 6, "Benchmark").
 *
 * <p><b>The events</b> are the {@code bristol-7} city's: its 7 servers reporting a state every city second, and
 * its workload (seed 1) as prompts, each with an attempt result and a completion (1.5 to 8 s later by class),
 * all on the planner's input topics with their Avro schemas.
 *
 * <p><b>eventsPerSec.</b> N events are produced first (their event times spread as the workload's arrivals), then
 * the job runs over them from the start; the figure is N over the wall time from the job's RUNNING to the
 * summary of the last window being readable on {@code window-summaries}. After the recording a clock server
 * keeps heartbeating, as live servers do, so the watermark passes the last window once the recorded
 * partitions go idle; the idleness is then part of the measured time, which makes the figure a lower bound.
 *
 * <p><b>windowLatencyMs.</b> Then live: events at the workload's pace on a city clock 10 times the wall clock
 * (a 10 s window every wall second). For each window, the wall time from producing the first event whose
 * timestamp is past the window's end plus the watermark's bound, to the window's city summary being readable,
 * on the same clock; the figure is the median over the windows of the run.
 */
public final class PlannerBench {

    public static final String SCENARIO = "bristol-7";
    /** The live phase's city speed-up. */
    public static final double LIVE_SPEEDUP = 10;

    private final PrintStream log;

    /** @param log where progress goes (standard error) */
    public PlannerBench(PrintStream log) {
        this.log = log;
    }

    /**
     * @param events      events in the throughput phase
     * @param liveSeconds wall seconds of the latency phase
     */
    public record Options(long events, int liveSeconds, Optional<String> bootstrap) {
        public Options {
            if (events < 1000) {
                throw new IllegalArgumentException("--events must be >= 1000, was " + events);
            }
            if (liveSeconds < 5) {
                throw new IllegalArgumentException("--live-seconds must be >= 5, was " + liveSeconds);
            }
        }
    }

    /** The JSON line's figures. */
    public record Result(double eventsPerSec, double windowLatencyMs, long events, int windows) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"eventsPerSec\": %.1f, \"windowLatencyMs\": %.1f, \"events\": %d, "
                    + "\"windows\": %d}", eventsPerSec, windowLatencyMs, events, windows);
        }
    }

    public Result run(Options o) throws Exception {
        long start = System.nanoTime();
        Scenario sc = new ScenarioLoader().load(SCENARIO);
        WorkloadGenerator generator = WorkloadGenerator.forScenario(sc);
        Evaluation evaluation = new Evaluation(sc, generator);
        List<String> servers = evaluation.setup().servers().stream().map(EdgeServer::id).toList();
        Workload workload = generator.generate(WorkloadOptions.of(1, evaluation.referenceRate()));
        say("%s: %d servers, a workload of %,d prompts over %.0f s", sc.name(), servers.size(), workload.size(),
                workload.timeSeconds(workload.size() - 1));
        EmbeddedKafka embedded = null;
        String bootstrap = o.bootstrap().orElse(null);
        if (bootstrap == null) {
            embedded = EmbeddedKafka.startQuietly(log);
            bootstrap = embedded.bootstrapServers();
        }
        try {
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            createTopics(bootstrap, prefix + "tp.");
            createTopics(bootstrap, prefix + "live.");
            double rate = throughput(bootstrap, prefix + "tp.", workload, servers, o.events());
            double[] latencies = latency(bootstrap, prefix + "live.", workload, servers, o.liveSeconds());
            Arrays.sort(latencies);
            double median = latencies.length == 0 ? Double.NaN : latencies.length % 2 == 1
                    ? latencies[latencies.length / 2]
                    : (latencies[latencies.length / 2 - 1] + latencies[latencies.length / 2]) / 2;
            say("window latency over %d windows: median %.0f ms, min %.0f, max %.0f; whole benchmark %.0f s",
                    latencies.length, median, latencies.length == 0 ? Double.NaN : latencies[0],
                    latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1], secs(start));
            return new Result(rate, median, o.events(), latencies.length);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    // ---- throughput -----------------------------------------------------------------------------------------

    private double throughput(String bootstrap, String prefix, Workload w, List<String> servers, long n)
            throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
        long p0 = System.nanoTime();
        long lastTime;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            Events events = new Events(w, servers, t0, prefix);
            AtomicReference<Exception> failed = new AtomicReference<>();
            for (long i = 0; i < n; i++) {
                ProducerRecord<byte[], byte[]> r = events.next();
                producer.send(r, (m, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                if ((i + 1) % 250_000 == 0) {
                    say("produced %,d events", i + 1);
                }
            }
            lastTime = events.lastTime;
            // A last record a minute later on every partition of every input topic: each partition's watermark
            // then passes the last window, and it closes without waiting for idleness.
            for (ProducerRecord<byte[], byte[]> r : events.closing(lastTime + 60_000)) {
                producer.send(r, (m, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("producing the events failed: " + failed.get(), failed.get());
            }
        }
        long window = PlannerSettings.DEFAULTS.shortWindow().toMillis();
        long lastWindowEnd = (lastTime / window + 1) * window;
        say("produced %,d events (%s) spanning %.0f s of city time in %.1f s", n, "states, prompts, results, "
                + "completions", (lastTime - t0.toEpochMilli()) / 1000.0, secs(p0));

        JobClient job = submit(bootstrap, prefix, PlannerSettings.DEFAULTS);
        try (KafkaConsumer<String, byte[]> summaries = consumer(bootstrap, prefix + Topics.WINDOW_SUMMARIES.name())) {
            long running = awaitRunning(job);
            String lastKey = lastWindowEnd + "/CITY/city";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            long seenWindows = 0;
            long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                boolean done = false;
                for (ConsumerRecord<String, byte[]> r : summaries.poll(Duration.ofMillis(50))) {
                    if (r.key().endsWith("/CITY/city")) {
                        seenWindows++;
                        if (r.key().equals(lastKey) || Long.parseLong(r.key().substring(0, r.key().indexOf('/')))
                                > lastWindowEnd) {
                            done = true;
                        }
                    }
                }
                if (done) {
                    break;
                }
                checkJob(job);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the throughput run took over 20 minutes");
                }
                if (System.nanoTime() > nextReport) {
                    say("  %d windows summarised so far", seenWindows);
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                }
            }
            double seconds = (System.nanoTime() - running) / 1e9;
            double rate = n / seconds;
            say("throughput: %,d events through %d short windows in %.1f s = %,.0f events/s", n, seenWindows,
                    seconds, rate);
            return rate;
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    // ---- latency --------------------------------------------------------------------------------------------

    private double[] latency(String bootstrap, String prefix, Workload w, List<String> servers, int liveSeconds)
            throws Exception {
        PlannerSettings s = PlannerSettings.DEFAULTS;
        CityClock clock = CityClock.system(Instant.now(), LIVE_SPEEDUP);
        JobClient job = submit(bootstrap, prefix, s);
        Map<Long, Long> passedAt = new ConcurrentHashMap<>();   // window end -> wall nanos of the passing event
        List<Double> latencies = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
             KafkaConsumer<String, byte[]> summaries = consumer(bootstrap, prefix + Topics.WINDOW_SUMMARIES.name())) {
            awaitRunning(job);
            Events events = new Events(w, servers, clock.instant(), prefix);
            long windowMillis = s.shortWindow().toMillis();
            long bound = s.outOfOrderness().toMillis();
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(8); // idleness and start-up settle
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(liveSeconds) + TimeUnit.SECONDS.toNanos(8);
            long lastPassed = Long.MIN_VALUE;
            while (System.nanoTime() < end) {
                // Send every event whose city time has come.
                long now = clock.millis();
                while (events.peekTime() <= now) {
                    ProducerRecord<byte[], byte[]> r = events.next();
                    producer.send(r);
                    long passed = (r.timestamp() - bound) / windowMillis * windowMillis;
                    if (passed > lastPassed) {
                        producer.flush();
                        if (System.nanoTime() > warmUntil) {
                            passedAt.put(passed, System.nanoTime());
                        }
                        lastPassed = passed;
                    }
                }
                for (ConsumerRecord<String, byte[]> r : summaries.poll(Duration.ofMillis(5))) {
                    if (r.key().endsWith("/CITY/city")) {
                        WindowSummary ws = AvroCodec.of(WindowSummary.class).decode(r.value());
                        Long sent = passedAt.get(ws.getWindowEnd().toEpochMilli());
                        if (sent != null) {
                            latencies.add((System.nanoTime() - sent) / 1e6);
                        }
                    }
                }
                checkJob(job);
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- the events -----------------------------------------------------------------------------------------

    /** The city's events in time order: every server's state each city second, and each prompt's life. */
    private static final class Events {
        private static final AvroCodec<Prompt> PROMPTS = AvroCodec.of(Prompt.class);
        private static final AvroCodec<AttemptResult> RESULTS = AvroCodec.of(AttemptResult.class);
        private static final AvroCodec<PromptCompletion> COMPLETIONS = AvroCodec.of(PromptCompletion.class);
        private static final AvroCodec<NodeState> STATES = AvroCodec.of(NodeState.class);
        private static final byte[] TEXT = "bench".getBytes(StandardCharsets.UTF_8);

        private final Workload w;
        private final List<String> servers;
        private final long t0;
        private final String prefix;
        private final java.util.PriorityQueue<ProducerRecord<byte[], byte[]>> pending =
                new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(ProducerRecord::timestamp));
        private long prompt;
        private long round;
        private long nextState;
        long lastTime;

        Events(Workload w, List<String> servers, Instant t0, String prefix) {
            this.w = w;
            this.servers = servers;
            this.t0 = t0.toEpochMilli();
            this.prefix = prefix;
            this.nextState = this.t0;
        }

        long peekTime() {
            fill();
            return pending.peek().timestamp();
        }

        ProducerRecord<byte[], byte[]> next() {
            fill();
            ProducerRecord<byte[], byte[]> r = pending.poll();
            lastTime = Math.max(lastTime, r.timestamp());
            return r;
        }

        /** Keeps the queue ahead: the next prompt's life and the next round of states. */
        private void fill() {
            while (pending.size() < 64) {
                long promptTime = promptTime(prompt);
                if (nextState <= promptTime) {
                    for (int s = 0; s < servers.size(); s++) {
                        pending.add(state(servers.get(s), nextState));
                    }
                    nextState += 1000;
                } else {
                    addPrompt(prompt++, promptTime);
                }
            }
        }

        private long promptTime(long i) {
            int k = (int) (i % w.size());
            long lap = i / w.size();
            double span = w.timeSeconds(w.size() - 1) + 1;
            return t0 + Math.round((lap * span + w.timeSeconds(k)) * 1000);
        }

        private void addPrompt(long i, long at) {
            int k = (int) (i % w.size());
            String id = "bp-" + i;
            String node = servers.get((int) (i % servers.size()));
            Prompt p = Prompt.newBuilder().setPromptId(id).setModelId(w.modelId(k)).setUserId("u" + w.user(k))
                    .setAccessPointId(w.accessPointId(k)).setSloSeconds(30).setCreatedAt(Instant.ofEpochMilli(at))
                    .setSizes(dev.edgeweave.v1.PromptSizes.newBuilder().setInputTokens(w.inputTokens(k))
                            .setImages(w.images(k)).setImagePixels(w.imagePixels(k)).setAudioSeconds(w.audioSeconds(k))
                            .setOutputTokens(w.outputTokens(k)).setSteps(w.steps(k)).setOutputPixels(w.outputPixels(k))
                            .setInputBytes(w.inputBytes(k)).build())
                    .setContent(InlineContent.newBuilder().setMediaType("text/plain").setData(ByteBuffer.wrap(TEXT))
                            .build())
                    .build();
            long latency = 1500 + (w.modelClass(k).ordinal() * 1500L);
            Instant done = Instant.ofEpochMilli(at + latency);
            LatencyBreakdown b = LatencyBreakdown.newBuilder().setUplinkSeconds(0).setRttSeconds(0).setQueueSeconds(0)
                    .setLoadWaitSeconds(0).setInferenceSeconds(latency / 2000.0).setDownlinkSeconds(0)
                    .setTotalSeconds(latency / 1000.0).build();
            AttemptResult r = AttemptResult.newBuilder().setPromptId(id).setAttempt(1).setNodeId(node)
                    .setModelId(w.modelId(k)).setOutcome(AttemptOutcome.COMPLETED).setReason(null).setReasonText(null)
                    .setOutput(null).setMeasured(b).setStartedAt(Instant.ofEpochMilli(at)).setFinishedAt(done).build();
            PromptCompletion c = PromptCompletion.newBuilder().setPromptId(id).setModelId(w.modelId(k))
                    .setModelClass(ModelClasses.toAvro(w.modelClass(k))).setUserId("u").setAccessPointId(w.accessPointId(k))
                    .setNodeId(node).setAttempts(1).setSloSeconds(30).setCreatedAt(Instant.ofEpochMilli(at))
                    .setCompletedAt(done).setLatency(b).setOutput(InlineContent.newBuilder().setMediaType("text/plain")
                            .setData(ByteBuffer.allocate(0)).build()).build();
            pending.add(record(Topics.PROMPTS, id, at, PROMPTS.encode(p)));
            pending.add(record(Topics.NODE_RESULTS, id, done.toEpochMilli(), RESULTS.encode(r)));
            pending.add(record(Topics.PROMPT_COMPLETIONS, id, done.toEpochMilli(), COMPLETIONS.encode(c)));
        }

        /** A valid record stamped {@code at} for every partition of every input topic. */
        List<ProducerRecord<byte[], byte[]>> closing(long at) {
            List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
            pending.clear(); // the events not produced: left out
            addPrompt(0, at);
            List<ProducerRecord<byte[], byte[]>> life = new ArrayList<>(pending);
            pending.clear();
            Map<String, byte[]> byTopic = new HashMap<>();
            for (ProducerRecord<byte[], byte[]> r : life) {
                byTopic.put(r.topic(), r.value());
            }
            byTopic.put(prefix + Topics.NODE_STATE.name(), state(servers.get(0), at).value());
            byTopic.put(prefix + Topics.PROMPT_REJECTIONS.name(), AvroCodec.of(dev.edgeweave.v1.PromptRejection.class)
                    .encode(dev.edgeweave.v1.PromptRejection.newBuilder().setPromptId("bp-closing").setModelId(w.modelId(0))
                            .setModelClass(ModelClasses.toAvro(w.modelClass(0))).setUserId("u").setAccessPointId("ap")
                            .setReason(dev.edgeweave.v1.ReasonCode.NO_CAPACITY).setReasonText("closing").setAttempts(0)
                            .setSloSeconds(30).setCreatedAt(Instant.ofEpochMilli(at)).setRejectedAt(Instant.ofEpochMilli(at))
                            .build()));
            byTopic.put(prefix + Topics.NETWORK_TELEMETRY.name(), AvroCodec.of(dev.edgeweave.v1.LinkSample.class)
                    .encode(dev.edgeweave.v1.LinkSample.newBuilder().setFromId("ap").setFromKind(
                                    dev.edgeweave.v1.EndpointKind.ACCESS_POINT).setToId(servers.get(0)).setRttMillis(5)
                            .setUplinkMbps(50).setDownlinkMbps(100).setMeasuredAt(Instant.ofEpochMilli(at)).setProbes(1)
                            .build()));
            for (Topic<?, ?> t : PlannerMain.INPUTS) {
                byte[] value = byTopic.get(prefix + t.name());
                for (int part = 0; part < t.partitions(); part++) {
                    out.add(new ProducerRecord<>(prefix + t.name(), part, at, "closing".getBytes(StandardCharsets.UTF_8),
                            value));
                }
            }
            return out;
        }

        private ProducerRecord<byte[], byte[]> state(String node, long at) {
            NodeState s = NodeState.newBuilder().setNodeId(node).setSiteId("site-" + node)
                    .setHeartbeatAt(Instant.ofEpochMilli(at)).setSequence(at).setStorageBytesPerSecond(5e8)
                    .setGpus(List.of(GpuState.newBuilder().setIndex(0).setGpuType("a100-40gb")
                            .setMemoryBytes(40_000_000_000L).setMemoryUsedBytes(6_000_000_000L).setUtilisation(0.5)
                            .build()))
                    .setDeployments(List.of(DeploymentState.newBuilder().setModelId("llama-3.1-8b-instruct")
                            .setGpuIndex(0).setStatus(DeploymentStatus.READY).setReadyAt(null).setConcurrency(4)
                            .setQueued(1).setRunning(2).setMeanServiceSeconds(1).setMemoryBytes(6_000_000_000L)
                            .setShareWeight(1).setReason(null).build()))
                    .setDraining(false).build();
            return record(Topics.NODE_STATE, node, at, STATES.encode(s));
        }

        private ProducerRecord<byte[], byte[]> record(Topic<?, ?> t, String key, long at, byte[] value) {
            return new ProducerRecord<>(prefix + t.name(), null, at, key.getBytes(StandardCharsets.UTF_8), value);
        }
    }

    // ---- Flink and Kafka ------------------------------------------------------------------------------------

    private static JobClient submit(String bootstrap, String prefix, PlannerSettings s) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(bootstrap, prefix + "planner",
                        PlannerMain.INPUTS.stream().map(t -> prefix + t.name()).toList(), OffsetsInitializer.earliest(),
                        new Properties()), PlannerJob.watermarks(s), "city events");
        PlannerJob.build(events, KafkaIO.sink(bootstrap, new Properties(), prefix), s);
        return env.executeAsync("edgeweave planner bench");
    }

    private static long awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get(10, TimeUnit.SECONDS) != JobStatus.RUNNING) {
            checkJob(job);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the planner job did not start within 60 s");
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    private static void checkJob(JobClient job) throws Exception {
        JobStatus s = job.getJobStatus().get(10, TimeUnit.SECONDS);
        if (s.isGloballyTerminalState()) {
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the planner job stopped: " + s, e);
            }
            throw new IllegalStateException("the planner job stopped: " + s);
        }
    }

    private static void createTopics(String bootstrap, String prefix) {
        List<Topic<?, ?>> all = new ArrayList<>();
        for (Topic<?, ?> t : PlannerMain.INPUTS) {
            all.add(new Topic<>(prefix + t.name(), t.keySerde(), t.valueSerde(), t.partitions(), t.configs()));
        }
        for (Topic<?, ?> t : PlannerMain.OUTPUTS) {
            all.add(new Topic<>(prefix + t.name(), t.keySerde(), t.valueSerde(), t.partitions(), t.configs()));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(all);
        }
    }

    private static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(List.of(topic));
        return c;
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void say(String format, Object... args) {
        log.println("bench: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
