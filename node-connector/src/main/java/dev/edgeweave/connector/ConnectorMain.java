package dev.edgeweave.connector;

import dev.edgeweave.config.Settings;
import dev.edgeweave.config.SettingsException;
import dev.edgeweave.config.StatusServer;
import dev.edgeweave.connector.runtime.Runtimes;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.schemas.topic.KafkaAccess;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code main} of one edge server's connector: reads the configuration through the shared loader
 * ({@link ConnectorConfig}), starts the {@link NodeConnector} and its {@code /metrics} and {@code /health}, and
 * stops gracefully on SIGTERM. Run with {@code --help} for every setting.
 */
public final class ConnectorMain {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorMain.class);
    static final int EXIT_CONFIG = 2;
    static final int EXIT_FAILED = 1;

    private ConnectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
            if (!help) {
                System.err.println("edgeweave-connector: takes no arguments but --help; it is configured by settings");
            }
            (help ? System.out : System.err).print(usage());
            System.exit(help ? 0 : EXIT_CONFIG);
            return;
        }
        ConnectorConfig config;
        try {
            Settings settings = Settings.fromSystem(ConnectorConfig.DEFAULTS, ConnectorConfig.ENV_PREFIX);
            config = ConnectorConfig.from(settings, GpuCatalog.standard());
            java.util.Set<String> known = new java.util.HashSet<>(ConnectorConfig.DEFAULTS.keySet());
            known.add(dev.edgeweave.config.KafkaClientSettings.PREFIX);
            settings.unknownKeys(known).forEach(k -> LOG.warn(
                    "unknown setting {} (from {}) is ignored: a typo?", k, settings.source(k)));
        } catch (SettingsException e) {
            System.err.println("edgeweave-connector: configuration error: " + e.getMessage());
            System.err.println("edgeweave-connector: run with --help for every setting");
            System.exit(EXIT_CONFIG);
            return;
        }
        NodeConnector connector = new NodeConnector(config, ModelCatalog.standard(), runtimeFactory(config));
        StatusServer http;
        try {
            connector.start();
            http = StatusServer.start(config.httpPort(), "connector-http", connector.metrics()::scrape,
                    () -> new StatusServer.Health(connector.healthy(), connector.healthText()));
        } catch (KafkaAccess.KafkaAccessException e) {
            System.err.println("edgeweave-connector: " + e.getMessage());
            LOG.error("could not start the connector for {}: {}", config.nodeId(), e.getMessage());
            // Nothing started yet: the check comes before every other Kafka client and thread.
            System.exit(EXIT_FAILED);
            return;
        } catch (Exception e) {
            LOG.error("could not start the connector for {}: {}", config.nodeId(), e.toString());
            connector.kill();
            System.exit(EXIT_FAILED);
            return;
        }
        LOG.info("serving /metrics and /health on port {}", http.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutdown requested (SIGTERM or exit)");
            connector.close();
            http.close();
            stopped.countDown();
        }, "connector-shutdown"));
        stopped.await();
    }

    /** The runtime the configuration names. */
    static NodeConnector.RuntimeFactory runtimeFactory(ConnectorConfig config) {
        return switch (config.runtime()) {
            case "emulated" -> Runtimes::emulated;
            case "http" -> Runtimes::http;
            default -> throw new IllegalArgumentException("unknown runtime " + config.runtime());
        };
    }

    static String usage() {
        return "usage: edgeweave-connector [--help]\n\n"
                + "One edge server's connector: serves the prompts routed to it, carries out deployment commands,\n"
                + "reports its state and links. Settings (defaults < the properties file named by EDGEWEAVE_CONFIG\n"
                + "< environment variables):\n\n" + ConnectorConfig.describeKeys();
    }
}
