package dev.edgeweave.connector.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted stand-in for a real model server (vLLM, llama.cpp server or Ollama), which cannot run here (no GPU,
 * no weights): the JDK's {@link HttpServer} on loopback, answering the OpenAI-compatible endpoints the
 * {@link HttpRuntime} calls with fixed, recognisable answers. It runs no model.
 *
 * <p>Endpoints, under {@code /v1}: {@code GET /models}, {@code POST /chat/completions},
 * {@code POST /images/generations}, {@code POST /audio/transcriptions} (multipart) and {@code POST /audio/speech}.
 * Per endpoint a test scripts the {@link Reply}: the normal answer (the default), a delay, an HTTP status, a
 * garbage body, an arbitrary body, or a hold until a latch opens. Every request is recorded ({@link Received}:
 * method, path, content type, and the body parsed as JSON or multipart) so a test asserts what was sent, and the
 * requests in flight are counted (their maximum too) to check concurrency limits.
 */
final class ScriptedModelServer implements AutoCloseable {

    /** What {@code /chat/completions} answers. */
    static final String CHAT_ANSWER = "The harbour glows amber under a low sun.";
    /** What {@code /audio/transcriptions} answers. */
    static final String TRANSCRIPT = "good evening from the harbour";
    /** The image {@code /images/generations} answers, base64-encoded: a PNG signature and a few bytes. */
    static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    /** The audio {@code /audio/speech} answers, as {@value #SPEECH_MEDIA_TYPE}. */
    static final byte[] SPEECH = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64};
    static final String SPEECH_MEDIA_TYPE = "audio/mpeg";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Received(String method, String path, String contentType, byte[] body, JsonNode json,
                    Map<String, Part> parts) {
        /** The endpoint: the path after {@code /v1}. */
        String endpoint() {
            return path.startsWith("/v1") ? path.substring(3) : path;
        }
    }

    /** One part of a multipart/form-data body. */
    record Part(String name, String filename, String contentType, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** How an endpoint answers. */
    sealed interface Reply {
        /** The endpoint's normal answer. */
        record Normal() implements Reply {
        }

        /** The normal answer after {@code delay}. */
        record Delayed(Duration delay) implements Reply {
        }

        /** {@code status} with a body that echoes nothing useful. */
        record Status(int status) implements Reply {
        }

        /** 200 with {@code body} under {@code contentType}. */
        record Body(String contentType, String body) implements Reply {
        }

        /** The normal answer once {@code release} opens (at most 30 s). */
        record Held(CountDownLatch release) implements Reply {
        }
    }

    static Reply normal() {
        return new Reply.Normal();
    }

    static Reply delayed(Duration delay) {
        return new Reply.Delayed(delay);
    }

    static Reply status(int status) {
        return new Reply.Status(status);
    }

    /** 200 with an HTML page where JSON (or audio) is expected. */
    static Reply garbage() {
        return new Reply.Body("text/html", "<html><body>upstream hiccup {{</body></html>");
    }

    /** 200 with a JSON body. */
    static Reply json(String body) {
        return new Reply.Body("application/json", body);
    }

    static Reply held(CountDownLatch release) {
        return new Reply.Held(release);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Reply> script = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean closed;

    /** A server on a free port. */
    ScriptedModelServer() throws IOException {
        this(0);
    }

    /** A server on {@code port} of the loopback address (0: any free port). */
    ScriptedModelServer(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-model-server-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API root, e.g. {@code http://127.0.0.1:41234/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** From now on, {@code endpoint} (e.g. {@code /chat/completions}) answers {@code reply}. */
    ScriptedModelServer script(String endpoint, Reply reply) {
        script.put(endpoint, Objects.requireNonNull(reply, "reply"));
        return this;
    }

    /** Every request so far, in arrival order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests so far to {@code endpoint}. */
    List<Received> received(String endpoint) {
        return received.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    /** Inference requests (everything but {@code /models}) being answered now. */
    int inFlight() {
        return inFlight.get();
    }

    /** The most inference requests ever in flight at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            String path = ex.getRequestURI().getPath();
            Received r = new Received(ex.getRequestMethod(), path, contentType, body, parseJson(contentType, body),
                    parseMultipart(contentType, body));
            received.add(r);
            String endpoint = r.endpoint();
            boolean inference = !endpoint.equals("/models");
            if (inference) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }
            try {
                answer(ex, endpoint, script.getOrDefault(endpoint, normal()));
            } finally {
                if (inference) {
                    inFlight.decrementAndGet();
                }
            }
        }
    }

    private void answer(HttpExchange ex, String endpoint, Reply reply) throws IOException {
        try {
            if (reply instanceof Reply.Delayed d) {
                Thread.sleep(d.delay().toMillis());
            } else if (reply instanceof Reply.Held h) {
                h.release().await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;  // closing
        }
        if (reply instanceof Reply.Status s) {
            send(ex, s.status(), "application/json", "{\"error\":{\"message\":\"scripted failure\"}}"
                    .getBytes(StandardCharsets.UTF_8));
        } else if (reply instanceof Reply.Body b) {
            send(ex, 200, b.contentType(), b.body().getBytes(StandardCharsets.UTF_8));
        } else {
            normalAnswer(ex, endpoint);
        }
    }

    private void normalAnswer(HttpExchange ex, String endpoint) throws IOException {
        switch (endpoint) {
            case "/models" -> sendJson(ex, "{\"object\":\"list\",\"data\":[{\"id\":\"scripted\",\"object\":\"model\"}]}");
            case "/chat/completions" -> sendJson(ex, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                    + JSON.writeValueAsString(CHAT_ANSWER) + "},\"finish_reason\":\"stop\"}]}");
            case "/images/generations" -> sendJson(ex, "{\"created\":1,\"data\":[{\"b64_json\":\""
                    + Base64.getEncoder().encodeToString(IMAGE) + "\"}]}");
            case "/audio/transcriptions" -> sendJson(ex, "{\"text\":" + JSON.writeValueAsString(TRANSCRIPT) + "}");
            case "/audio/speech" -> send(ex, 200, SPEECH_MEDIA_TYPE, SPEECH);
            default -> send(ex, 404, "application/json", "{\"error\":\"no such endpoint\"}"
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void sendJson(HttpExchange ex, String json) throws IOException {
        send(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static JsonNode parseJson(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the runtime sent a JSON body that does not parse", e);
        }
    }

    /** The parts of a multipart/form-data body by name; empty for any other body. */
    static Map<String, Part> parseMultipart(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return Map.of();
        }
        int at = contentType.indexOf("boundary=");
        if (at < 0) {
            throw new IllegalArgumentException("multipart body without a boundary");
        }
        String boundary = contentType.substring(at + "boundary=".length()).replace("\"", "").strip();
        // ISO-8859-1 maps each byte to one char and back, so binary parts survive the split.
        String all = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        if (!all.startsWith(delimiter + "\r\n") || !all.endsWith(delimiter + "--\r\n")) {
            throw new IllegalArgumentException("malformed multipart body");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        String inner = all.substring(delimiter.length() + 2, all.length() - (delimiter.length() + 4));
        List<String> chunks = new ArrayList<>(List.of(inner.split("\r\n" + java.util.regex.Pattern.quote(delimiter)
                + "\r\n", -1)));
        // The last chunk ends with the CRLF before the closing delimiter.
        int last = chunks.size() - 1;
        if (!chunks.get(last).endsWith("\r\n")) {
            throw new IllegalArgumentException("malformed multipart body: no CRLF before the closing boundary");
        }
        chunks.set(last, chunks.get(last).substring(0, chunks.get(last).length() - 2));
        for (String chunk : chunks) {
            int split = chunk.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new IllegalArgumentException("malformed multipart part: no blank line after its headers");
            }
            String name = null;
            String filename = null;
            String type = null;
            for (String header : chunk.substring(0, split).split("\r\n")) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    name = param(header, "name");
                    filename = param(header, "filename");
                } else if (lower.startsWith("content-type:")) {
                    type = header.substring("content-type:".length()).strip();
                }
            }
            byte[] data = chunk.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
            parts.put(name, new Part(name, filename, type, data));
        }
        return parts;
    }

    private static String param(String header, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[;\\s]" + key + "=\"([^\"]*)\"").matcher(header);
        return m.find() ? m.group(1) : null;
    }
}
