package dev.edgeweave.agents.llm;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server that stands in for a real model server (vLLM, Ollama): no language model is reachable
 * from the machines that run these tests. It listens on 127.0.0.1 at a free port, records every request
 * (method, path, headers, body) and answers each with one canned status and body, or, when told to hang,
 * not at all until it is closed, so a client's timeout strikes.
 */
final class ScriptedModelServer implements AutoCloseable {

    /** One request as received. */
    record Recorded(String method, String path, Map<String, String> headers, String body) {
        /** A header's value, by case-insensitive name. */
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    private ScriptedModelServer(int status, String body, boolean hang) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the scripted model server", e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) ->
                        headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
                synchronized (requests) {
                    requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            headers, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                if (hang) {
                    // Bounded, so a forgotten close cannot hold a thread for ever.
                    closed.await(30, TimeUnit.SECONDS);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The client gave up (its timeout): nothing to answer.
            } finally {
                exchange.close();
            }
        });
        // Each request on a thread of its own, so a hanging one does not hold up the next.
        server.setExecutor(handlers);
        server.start();
    }

    /** A server answering every request with {@code status} and {@code body}. */
    static ScriptedModelServer answering(int status, String body) {
        return new ScriptedModelServer(status, body, false);
    }

    /** A server that receives requests and answers none until closed. */
    static ScriptedModelServer hanging() {
        return new ScriptedModelServer(200, "{}", true);
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The single request received. */
    Recorded onlyRequest() {
        List<Recorded> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected one request, got " + all.size() + ": " + all);
        }
        return all.get(0);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
