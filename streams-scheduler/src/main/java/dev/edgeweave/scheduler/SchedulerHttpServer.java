package dev.edgeweave.scheduler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's two HTTP endpoints, on the JDK's own server (no web framework for two GETs):
 *
 * <ul>
 *   <li>{@code GET /metrics}: {@link SchedulerMetrics#scrape()}, Prometheus text format;</li>
 *   <li>{@code GET /health}: 200 while Kafka Streams is {@code RUNNING} or {@code REBALANCING} (a rebalance is
 *       the normal way instances share work, not a fault), 503 otherwise, with the state as the body.</li>
 * </ul>
 *
 * One daemon thread serves both: a scrape every few seconds and a probe are all it sees.
 */
public final class SchedulerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private SchedulerHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} on every interface and starts serving.
     *
     * @param port    the port; 0 picks a free one ({@link #port()} tells which)
     * @param metrics the metrics text, produced per scrape
     * @param state   the Kafka Streams state, read per probe
     * @throws IOException when the port cannot be bound
     */
    public static SchedulerHttpServer start(int port, Supplier<String> metrics, Supplier<KafkaStreams.State> state)
            throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(state, "state");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scheduler-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> serve(exchange, "/metrics", () -> {
            String text = metrics.get();
            return new Reply(200, SchedulerMetrics.CONTENT_TYPE, text);
        }));
        server.createContext("/health", exchange -> serve(exchange, "/health", () -> {
            KafkaStreams.State s = state.get();
            boolean healthy = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
            return new Reply(healthy ? 200 : 503, "text/plain; charset=utf-8", s + "\n");
        }));
        server.createContext("/", exchange -> serve(exchange, "/", () ->
                new Reply(404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n")));
        server.start();
        return new SchedulerHttpServer(server, executor);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once (a scrape in progress is cut) and releases the thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, String contentType, String body) {
    }

    private static void serve(HttpExchange exchange, String path, Supplier<Reply> handler) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Reply reply;
            if (!exchange.getRequestURI().getPath().equals(path) && !path.equals("/")) {
                reply = new Reply(404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = new Reply(405, "text/plain; charset=utf-8", "use GET\n");
            } else {
                try {
                    reply = handler.get();
                } catch (RuntimeException e) {
                    LOG.warn("{} failed: {}", path, e.toString());
                    reply = new Reply(500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
                }
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(reply.status(), -1);
            } else {
                exchange.sendResponseHeaders(reply.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
