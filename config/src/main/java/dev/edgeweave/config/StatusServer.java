package dev.edgeweave.config;

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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A component's two HTTP endpoints, on the JDK's own server (no web framework for two GETs):
 *
 * <ul>
 *   <li>{@code GET /metrics}: the metrics text (Prometheus format), produced per scrape;</li>
 *   <li>{@code GET /health}: 200 while the component says it is healthy, 503 otherwise, with its state as the
 *       body.</li>
 * </ul>
 *
 * One daemon thread serves both: a scrape every few seconds and a probe are all it sees. Every edgeweave
 * process (scheduler, connector) serves its status through this class.
 */
public final class StatusServer implements AutoCloseable {

    /** The Prometheus text exposition format. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger LOG = Logger.getLogger(StatusServer.class.getName());
    private static final String TEXT = "text/plain; charset=utf-8";

    /** What {@code /health} answers: healthy or not, and the state in a few words. */
    public record Health(boolean healthy, String state) {
        public Health {
            Objects.requireNonNull(state, "state");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private StatusServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} on every interface and starts serving.
     *
     * @param port       the port; 0 picks a free one ({@link #port()} tells which)
     * @param threadName the serving thread's name
     * @param metrics    the metrics text in the Prometheus format, produced per scrape
     * @param health     the component's health, read per probe
     * @throws IOException when the port cannot be bound
     */
    public static StatusServer start(int port, String threadName, Supplier<String> metrics, Supplier<Health> health)
            throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(health, "health");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> serve(exchange, "/metrics",
                () -> new Reply(200, PROMETHEUS_CONTENT_TYPE, metrics.get())));
        server.createContext("/health", exchange -> serve(exchange, "/health", () -> {
            Health h = health.get();
            return new Reply(h.healthy() ? 200 : 503, TEXT, h.state() + "\n");
        }));
        server.createContext("/", exchange -> serve(exchange, "/", () ->
                new Reply(404, TEXT, "not found: try /metrics or /health\n")));
        server.start();
        return new StatusServer(server, executor);
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
                reply = new Reply(404, TEXT, "not found: try /metrics or /health\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = new Reply(405, TEXT, "use GET\n");
            } else {
                try {
                    reply = handler.get();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, path + " failed: " + e);
                    reply = new Reply(500, TEXT, "internal error: " + e + "\n");
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
