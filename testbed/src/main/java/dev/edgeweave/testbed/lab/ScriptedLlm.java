package dev.edgeweave.testbed.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The language model the lab's chaos runs fail: a scripted stand-in for a model server, since no language model
 * runs on the machines the lab is meant for. It speaks OpenAI's {@code POST /v1/chat/completions} on 127.0.0.1
 * and answers the agents the way a cautious model would, from the situation tables in the request (numbers
 * only, as the agents send them):
 * <ul>
 *   <li>the short-term scheduling agent: keep the weights in force;</li>
 *   <li>the long-term planning agent: keep the placement in force while it is whole (every model asked for is
 *       held on a server that is up, no down server holds anything, every up server holds something); else an
 *       empty placement, which the guard refuses, so the optimizer decides (a fallback);</li>
 *   <li>an on-node deployment agent: nothing to change.</li>
 * </ul>
 * Its answers exercise the LLM path (the client, parsing, the guard, the timeout); they say nothing about how
 * well a real model decides. The lab switches its {@link Mode} to fail that path and measure the agents'
 * fallback to the optimizer.
 */
public final class ScriptedLlm implements AutoCloseable {

    /** How the endpoint behaves. */
    public enum Mode {
        /** Answers every request as described above. */
        ANSWERING,
        /** Not listening: connections are refused. */
        DOWN,
        /** Answers HTTP 200 with content that is not the JSON asked for. */
        GARBAGE,
        /** Answers correctly, but only after {@link #slowDelay}, past the agents' timeout. */
        SLOW
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final Duration slowDelay;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-llm");
        t.setDaemon(true);
        return t;
    });
    private final Map<Mode, AtomicLong> requests = new EnumMap<>(Mode.class);
    /** Text no request should contain (a test's planted marker), and the requests that did. */
    private volatile String watched;
    private final AtomicLong watchedRequests = new AtomicLong();
    private volatile HttpServer server;
    private volatile Mode mode = Mode.ANSWERING;
    private volatile boolean closed;

    private ScriptedLlm(int port, Duration slowDelay) {
        this.slowDelay = slowDelay;
        for (Mode m : Mode.values()) {
            requests.put(m, new AtomicLong());
        }
        this.server = listen(port);
        this.port = server.getAddress().getPort();
    }

    /**
     * Starts the endpoint on a free loopback port.
     *
     * @param slowDelay how long an answer takes in {@link Mode#SLOW}
     */
    public static ScriptedLlm start(Duration slowDelay) {
        return new ScriptedLlm(0, slowDelay);
    }

    /** The OpenAI-compatible base URL: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public Mode mode() {
        return mode;
    }

    /** Switches the behaviour; {@link Mode#DOWN} stops listening, any other mode listens again on the same port. */
    public synchronized void mode(Mode next) {
        if (closed || next == mode) {
            return;
        }
        if (next == Mode.DOWN) {
            server.stop(0);
        } else if (mode == Mode.DOWN) {
            server = listen(port);
        }
        mode = next;
    }

    /** Requests received (and answered or failed on purpose) in each mode; none in {@link Mode#DOWN}. */
    public Map<Mode, Long> requests() {
        Map<Mode, Long> out = new EnumMap<>(Mode.class);
        requests.forEach((m, n) -> out.put(m, n.get()));
        return out;
    }

    /** Counts, from now on, the requests whose body contains {@code text} (a planted marker must be in none). */
    public void watch(String text) {
        watched = java.util.Objects.requireNonNull(text, "text");
    }

    /** Requests whose body contained the {@link #watch}ed text. */
    public long watchedRequests() {
        return watchedRequests.get();
    }

    private HttpServer listen(int at) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), 0);
            s.createContext("/", this::handle);
            s.setExecutor(handlers); // a slow answer holds its own thread only
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("the lab's scripted LLM endpoint cannot listen on 127.0.0.1:" + at, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || !exchange.getRequestURI().getPath()
                    .endsWith("/chat/completions")) {
                send(exchange, 404, "{\"error\": {\"message\": \"only POST /v1/chat/completions\"}}");
                return;
            }
            Mode now = mode;
            requests.get(now).incrementAndGet();
            String w = watched;
            if (w != null && new String(body, StandardCharsets.UTF_8).contains(w)) {
                watchedRequests.incrementAndGet();
            }
            if (now == Mode.SLOW) {
                try {
                    Thread.sleep(slowDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String content;
            if (now == Mode.GARBAGE) {
                content = "Sure! Here is my plan: load everything everywhere }{";
            } else {
                try {
                    content = answer(JSON.readTree(body));
                } catch (IOException | RuntimeException e) {
                    send(exchange, 400, "{\"error\": {\"message\": \"not a chat request\"}}");
                    return;
                }
            }
            send(exchange, 200, completion(content));
        } catch (IOException e) {
            // The client gave up (its timeout): nothing to answer.
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private static String completion(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-lab").put("object", "chat.completion").put("created", 0).put("model", "lab-scripted");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
        return root.toString();
    }

    /** The answer's JSON for one chat request, by the agent its system message names. */
    static String answer(JsonNode request) {
        StringBuilder system = new StringBuilder();
        StringBuilder user = new StringBuilder();
        for (JsonNode m : request.path("messages")) {
            (m.path("role").asText().equals("system") ? system : user).append(m.path("content").asText()).append('\n');
        }
        ObjectNode a = JSON.createObjectNode();
        if (system.indexOf("short-term scheduling agent") >= 0) {
            a.putArray("weights");
            a.put("rationale", "keep the weights in force");
        } else if (system.indexOf("long-term planning agent") >= 0) {
            ArrayNode deployments = a.putArray("deployments");
            List<Held> held = placementInForce(user.toString());
            if (held == null) {
                a.put("rationale", "the placement in force is not whole; no plan");
            } else {
                for (Held h : held) {
                    deployments.addObject().put("server", h.server).put("model", h.model).put("gpu", h.gpu)
                            .put("slots", h.slots);
                }
                a.put("rationale", "keep the placement in force");
            }
        } else {
            a.putArray("actions");
            a.putArray("deferred");
            a.put("rationale", "nothing to change");
        }
        return a.toString();
    }

    private record Held(String server, String model, int gpu, int slots) {
    }

    /**
     * The placement in force from the planning situation's first tables, or null when it is not whole: a down
     * server holds something, an up server holds nothing, or a model with a rate above 0 is held on no up server.
     */
    static List<Held> placementInForce(String situation) {
        List<Map<String, String>> gpus = table(situation, "GPUs of every server");
        List<Map<String, String>> models = table(situation, "models (");
        if (gpus.isEmpty()) {
            return null;
        }
        List<Held> held = new ArrayList<>();
        Map<String, Boolean> holdsAny = new LinkedHashMap<>();
        Set<String> heldUp = new LinkedHashSet<>();
        for (Map<String, String> row : gpus) {
            String server = row.get("server");
            boolean up = "yes".equals(row.get("up"));
            String holds = row.getOrDefault("holds", "-");
            holdsAny.putIfAbsent(server, false);
            if (holds.equals("-")) {
                continue;
            }
            if (!up) {
                return null;
            }
            holdsAny.put(server, true);
            for (String item : holds.split(",")) {
                String[] parts = item.trim().split(" x");
                if (parts.length != 2) {
                    return null;
                }
                held.add(new Held(server, parts[0], Integer.parseInt(row.get("gpu")), Integer.parseInt(parts[1])));
                heldUp.add(parts[0]);
            }
        }
        for (Map<String, String> row : gpus) {
            if ("yes".equals(row.get("up")) && !holdsAny.get(row.get("server"))) {
                return null;
            }
        }
        for (Map<String, String> row : models) {
            if (Double.parseDouble(row.getOrDefault("rate /s", "0")) > 0 && !heldUp.contains(row.get("model"))) {
                return null;
            }
        }
        return held;
    }

    /** The first markdown table after the line starting with {@code title}: its rows by column name. */
    private static List<Map<String, String>> table(String text, String title) {
        String[] lines = text.split("\n");
        List<Map<String, String>> rows = new ArrayList<>();
        int i = 0;
        while (i < lines.length && !lines[i].startsWith(title)) {
            i++;
        }
        i++;
        if (i + 1 >= lines.length || !lines[i].startsWith("|")) {
            return rows;
        }
        List<String> header = cells(lines[i]);
        for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
            List<String> c = cells(lines[i]);
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < header.size() && k < c.size(); k++) {
                row.put(header.get(k).toLowerCase(Locale.ROOT), c.get(k));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String s = line.trim();
        s = s.substring(1, s.endsWith("|") ? s.length() - 1 : s.length());
        List<String> out = new ArrayList<>();
        for (String c : s.split("\\|", -1)) {
            out.add(c.trim());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        server.stop(0);
        handlers.shutdownNow();
    }
}
