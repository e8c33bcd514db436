package dev.edgeweave.testbed.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lab's live web dashboard, on the JDK's own HTTP server (a page, three static files and one JSON
 * endpoint need no framework). The page ({@code dashboard/index.html}, {@code app.js}, {@code app.css} beside
 * this class) polls {@code GET /api/state} once a second and draws it with uPlot, served from its WebJar.
 *
 * <ul>
 *   <li>{@code GET /}, {@code /app.js}, {@code /app.css}: the page;</li>
 *   <li>{@code GET /uplot.js}, {@code /uplot.css}: uPlot's minified IIFE build and its stylesheet;</li>
 *   <li>{@code GET /api/state}: the supplier's JSON, produced per request, never cached; 503 with a short
 *       plain-text reason while the supplier has none (null) or throws.</li>
 * </ul>
 *
 * Read-only: anything but GET or HEAD is 405. Every answer forbids sniffing and carries a Content-Security-Policy
 * that allows only this origin (uPlot styles its elements through the CSSOM, which {@code style-src 'self'}
 * permits). Bound to a loopback address, it also refuses a request whose {@code Host} is not a loopback name,
 * so that a web page cannot read the lab's state through DNS rebinding.
 */
public final class LabDashboard implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LabDashboard.class.getName());

    private static final String PAGE_RESOURCES = "dev/edgeweave/testbed/lab/dashboard/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** A static file, read once at start so that a missing one fails the start, not a request. */
    private record Asset(String contentType, byte[] body) {
    }

    private record Reply(int status, String contentType, byte[] body, String cacheControl) {
        static Reply text(int status, String text) {
            return new Reply(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8), "no-store");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LabDashboard(HttpServer server, ExecutorService executor, String host) {
        this.server = server;
        this.executor = executor;
        this.host = host;
    }

    /**
     * Binds {@code host:port} and starts serving on two daemon threads.
     *
     * @param host      the address to listen on, e.g. {@code 127.0.0.1} (the lab's default)
     * @param port      the port; 0 picks a free one ({@link #port()} tells which)
     * @param stateJson the lab's state as JSON, produced per poll; may return null while there is none yet
     * @throws IllegalStateException when the port is taken: the message names it and the lab's options
     * @throws IllegalArgumentException when the host does not resolve
     */
    public static LabDashboard start(String host, int port, Supplier<String> stateJson) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(stateJson, "stateJson");
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("dashboard: cannot resolve the host '" + host + "'");
        }
        Map<String, Asset> assets = assets();
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new IllegalStateException("dashboard: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another port with --dashboard-port, or run without it with --no-dashboard", e);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard: cannot listen on " + host + ":" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        // Two threads: a poll never waits behind a slow static file, and one browser tab needs no more.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lab-dashboard-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        boolean loopbackOnly = address.getAddress().isLoopbackAddress();
        AtomicBoolean failing = new AtomicBoolean();
        server.createContext("/", exchange -> serve(exchange, loopbackOnly, host, path -> {
            if (path.equals("/api/state")) {
                return state(stateJson, failing);
            }
            Asset asset = assets.get(path);
            if (asset == null) {
                return Reply.text(404, "not found: " + path);
            }
            // uPlot's file is versioned by its WebJar; the page's own files change while one develops them.
            String cache = path.startsWith("/uplot.") ? "max-age=3600" : "no-cache";
            return new Reply(200, asset.contentType(), asset.body(), cache);
        }));
        server.start();
        return new LabDashboard(server, executor, host);
    }

    /** The port it listens on (the one picked when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Where a browser finds it, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port() + "/";
    }

    /** Stops listening at once (a request in progress is cut) and releases the threads. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private static Reply state(Supplier<String> stateJson, AtomicBoolean failing) {
        String json;
        try {
            json = stateJson.get();
        } catch (RuntimeException e) {
            // One line when it starts failing, one when it recovers: the page polls every second.
            if (failing.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "dashboard: the lab state failed, answering 503 until it recovers: " + e);
            }
            return Reply.text(503, "lab state unavailable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (json == null) {
            return Reply.text(503, "lab state not available yet");
        }
        if (failing.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "dashboard: the lab state is available again");
        }
        return new Reply(200, JSON, json.getBytes(StandardCharsets.UTF_8), "no-store");
    }

    private interface Router {
        Reply route(String path);
    }

    private static void serve(HttpExchange exchange, boolean loopbackOnly, String host, Router router)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Reply reply;
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = Reply.text(405, "read-only: use GET");
            } else if (loopbackOnly && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"), host)) {
                reply = Reply.text(403, "this dashboard answers only to a loopback host name");
            } else {
                try {
                    reply = router.route(exchange.getRequestURI().getPath());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "dashboard: " + exchange.getRequestURI().getPath() + " failed: " + e);
                    reply = Reply.text(500, "internal error");
                }
            }
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", reply.contentType());
            headers.set("Cache-Control", reply.cacheControl());
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("Referrer-Policy", "no-referrer");
            byte[] body = reply.body();
            if (method.equals("HEAD")) {
                // The JDK's server sends no length for HEAD by itself; the length a GET would have is the answer.
                headers.set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(reply.status(), -1);
            } else {
                exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Whether a request's {@code Host} names this machine's loopback (or the host it was bound as). */
    static boolean loopbackHost(String hostHeader, String boundHost) {
        if (hostHeader == null) {
            return false; // HTTP/1.1 requires it; browsers always send it
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(1, end);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') >= 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equalsIgnoreCase(boundHost)) {
            return true;
        }
        // Only a literal address is checked, never a name: resolving a name is what rebinding abuses.
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static Map<String, Asset> assets() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        return Map.of(
                "/", new Asset(HTML, resource(PAGE_RESOURCES + "index.html")),
                "/index.html", new Asset(HTML, resource(PAGE_RESOURCES + "index.html")),
                "/app.js", new Asset(JS, resource(PAGE_RESOURCES + "app.js")),
                "/app.css", new Asset(CSS, resource(PAGE_RESOURCES + "app.css")),
                "/uplot.js", new Asset(JS, resource(uplot + "uPlot.iife.min.js")),
                "/uplot.css", new Asset(CSS, resource(uplot + "uPlot.min.css")));
    }

    /** The uPlot WebJar's version, from its own Maven metadata, so that the parent POM alone names it. */
    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = stream(UPLOT_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard: cannot read " + UPLOT_POM, e);
        }
        return Objects.requireNonNull(p.getProperty("version"), () -> UPLOT_POM + " names no version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard: cannot read " + name, e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = LabDashboard.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("dashboard: " + name + " is not on the class path (is the uPlot "
                    + "WebJar a dependency, and were the resources built?)");
        }
        return in;
    }
}
