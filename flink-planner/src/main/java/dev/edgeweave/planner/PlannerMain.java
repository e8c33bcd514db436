package dev.edgeweave.planner;

import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import dev.edgeweave.schemas.topic.KafkaAccess;
import dev.edgeweave.schemas.topic.Topic;
import dev.edgeweave.schemas.topic.TopicAdmin;
import dev.edgeweave.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code main} of the planner: reads the configuration through the shared loader, makes sure its topics exist,
 * attaches Kafka to {@link PlannerJob} and runs it. Run with {@code java -jar} it runs on an embedded
 * MiniCluster with Flink's Prometheus reporter on {@code planner.metrics.port}; submitted with
 * {@code flink run} it runs on that cluster (whose own configuration then holds the metrics reporter).
 */
public final class PlannerMain {

    private static final Logger LOG = LoggerFactory.getLogger(PlannerMain.class);
    /** The topics the job reads. */
    public static final List<Topic<?, ?>> INPUTS = List.of(Topics.PROMPTS, Topics.NODE_RESULTS,
            Topics.PROMPT_COMPLETIONS, Topics.PROMPT_REJECTIONS, Topics.NODE_STATE, Topics.NETWORK_TELEMETRY);
    /** The topics the job writes. */
    public static final List<Topic<?, ?>> OUTPUTS = List.of(Topics.WINDOW_SUMMARIES, Topics.ROUTING_POLICY,
            Topics.DEPLOYMENT_PLANS, Topics.DEPLOYMENT_COMMANDS, Topics.AGENT_DECISIONS);

    private PlannerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
            (help ? System.out : System.err).print(usage());
            System.exit(help ? 0 : 2);
            return;
        }
        PlannerConfig config;
        try {
            config = PlannerConfig.from(Settings.fromSystem(PlannerConfig.DEFAULTS, PlannerConfig.ENV_PREFIX));
        } catch (SettingsException e) {
            System.err.println("edgeweave-planner: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            prepareKafka(config);
        } catch (IllegalStateException e) {
            System.err.println("edgeweave-planner: " + e.getMessage());
            LOG.error("could not start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        attach(env, config, OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        LOG.info("starting the planner: short window {}, long window {} sliding {}, checkpoints every {}",
                config.settings().shortWindow(), config.settings().longWindow(), config.settings().longSlide(),
                config.checkpointInterval());
        env.execute("edgeweave planner");
    }

    /**
     * Checks that Kafka answers and accepts the planner's credentials ({@link KafkaAccess#check}), then creates
     * its topics when missing.
     *
     * @throws KafkaAccess.KafkaAccessException when Kafka refuses the login or does not answer
     * @throws IllegalStateException when a topic cannot be created as defined
     */
    static void prepareKafka(PlannerConfig config) {
        LOG.info("Kafka at {}: {}", config.bootstrap(), config.kafka().describe());
        KafkaAccess.check(config.bootstrap(), config.kafka(), KafkaAccess.START_TIMEOUT);
        try (Admin admin = KafkaAccess.admin(config.bootstrap(), config.kafka())) {
            List<Topic<?, ?>> all = new java.util.ArrayList<>(INPUTS);
            all.addAll(OUTPUTS);
            new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(all);
        }
    }

    /** Flink settings from the planner's: checkpoints, their storage, the local Prometheus reporter. */
    static Configuration flinkConfiguration(PlannerConfig config) {
        Configuration c = new Configuration();
        // The job runs on an embedded cluster with its classes on the JVM's class path, so a job restarted in this
        // JVM (a failover, or a restore) runs the same classes, and library statics created under the first run's
        // user-code class loader keep it (the LLM brains' HTTP clients did: every call after a restart failed with
        // "Trying to access closed classloader"). Flink's check turns such a use of a closed loader into an error;
        // here the loader's classes are the JVM's own, so there is nothing to leak.
        c.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        config.checkpointDir().ifPresent(dir -> c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir));
        c.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", Integer.toString(config.metricsPort()));
        return c;
    }

    /** Kafka in, the job, Kafka out, on {@code env}. */
    public static void attach(StreamExecutionEnvironment env, PlannerConfig config, OffsetsInitializer start) {
        env.setParallelism(config.parallelism());
        DataStream<CityEvent> events = env.fromSource(KafkaIO.source(config.bootstrap(), config.groupId(),
                        INPUTS.stream().map(Topic::name).toList(), start, config.kafka().properties()),
                PlannerJob.watermarks(config.settings()), "city events").uid("city-events");
        PlannerJob.build(events, KafkaIO.sink(config.bootstrap(), config.kafka().properties()), config.settings());
    }

    static String usage() {
        return "usage: edgeweave-planner [--help]\n\nThe control plane as a Flink job. Settings (defaults < the "
                + "properties file named by EDGEWEAVE_CONFIG < environment variables):\n\n" + PlannerConfig.describeKeys();
    }
}
