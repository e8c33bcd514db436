package dev.edgeweave.connector.runtime;

import dev.edgeweave.connector.NodeThread;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.ReasonCode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime for real model servers: one OpenAI-compatible server per deployment (vLLM, llama.cpp server,
 * a containerised engine), or servers already running (an Ollama that serves every model), spoken to by an
 * {@link OpenAiClient}.
 *
 * <p><b>Loading.</b> {@link #load} gives the deployment a port ({@code basePort} + the lowest free index) and has
 * the {@link Launcher} start its server there, at {@code http://host:port/v1}; a model listed in
 * {@link Options#baseUrlByModel} is served at that URL instead and nothing is launched for it. Then it polls
 * {@code GET /models} every {@value #HEALTH_INTERVAL_MILLIS} ms (wall) until a 2xx: the deployment is READY and
 * {@link Listener#ready} fires. When the server is not healthy within {@link Options#readyTimeout} of the load
 * (the launch included), or its process exits first, the server is stopped, the work that waited is handed back
 * ({@code NOT_DEPLOYED}, hand-back) and {@link Listener#loadFailed} fires.
 *
 * <p><b>Serving.</b> Each deployment has a FIFO queue and {@code concurrency} slots: at most that many requests
 * are in flight to its server (the server batches them), the rest wait, also while the model loads. A request
 * that times out ({@link Options#requestTimeout}), cannot connect, gets a non-2xx status or an answer that is
 * not what the API promises ends {@code RUNTIME_ERROR} (not handed back: the scheduler decides on a retry).
 * The measured times are city seconds (wall seconds × the city clock's speed-up, read from the node thread's
 * clock): load wait = max(0, ready − submit), queue = slot start − submit − load wait, inference = the request's
 * round trip.
 *
 * <p><b>Unloading.</b> {@link #unload} drains: no new work, the queued and running work finishes, then the server
 * is stopped and {@link Listener#unloaded} fires. A deployment that is still loading is stopped at once and its
 * waiting work handed back. A deployment holds its model's catalog memory ({@link ModelSpec#memoryBytes}) on its
 * GPU until its server is stopped; the caller checks that it fits (this runtime does not know the GPUs' sizes).
 *
 * <p><b>Threading.</b> Every method is called on the node thread and every {@link Listener} callback runs on it:
 * HTTP calls run on the {@link HttpClient}'s executor ({@code sendAsync}), launches and stops on a background
 * thread of this runtime (they block), and their results hop back to the node thread. So the node thread never
 * blocks, except in {@link #close}, which waits for the servers to stop.
 *
 * <p>Prompt content and answers are never logged: model servers get them, the connector's log never does.
 */
public final class HttpRuntime implements ModelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRuntime.class);

    /** Wall milliseconds between two health polls of a loading deployment. */
    public static final long HEALTH_INTERVAL_MILLIS = 500;

    /** The longest one health poll waits (shorter when the request timeout is). */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

    /** Weight of the newest inference time in a deployment's mean service time. */
    static final double EWMA_WEIGHT = 0.2;

    /** The longest {@link #close} waits for the servers to stop. */
    static final Duration CLOSE_WAIT = ProcessLauncher.DEFAULT_STOP_GRACE.plusSeconds(10);

    /**
     * How the runtime reaches its model servers.
     *
     * @param host            the host the launched servers listen on, e.g. {@code 127.0.0.1}
     * @param basePort        the first deployment's port; the next take the next free ports
     * @param requestTimeout  the longest one prompt's request waits for its whole answer
     * @param readyTimeout    the longest a load waits for its server to become healthy, launch included (wall)
     * @param baseUrlByModel  catalog id → the API root of a server already running for it, e.g.
     *                        {@code http://ollama:11434/v1}; such models are never launched. May be empty.
     * @param servedModelName catalog id → the name the server knows the model by, e.g. {@code llama3.1:8b}
     *                        (Ollama) or {@code meta-llama/Llama-3.1-8B-Instruct} (vLLM): what the requests'
     *                        {@code model} field and the launcher's {@code {model}} get. Unlisted ids go as they
     *                        are. May be empty.
     */
    public record Options(String host, int basePort, Duration requestTimeout, Duration readyTimeout,
                          Map<String, String> baseUrlByModel, Map<String, String> servedModelName) {

        /**
         * @throws IllegalArgumentException on a blank host, a port out of range, a timeout that is not &gt; 0, a
         *                                  base URL that is not an absolute http(s) URL or a blank served name
         */
        public Options {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("model server host must not be blank");
            }
            if (basePort < 1 || basePort > 65535) {
                throw new IllegalArgumentException("model server base port must be in 1..65535, was " + basePort);
            }
            requirePositive(requestTimeout, "request timeout");
            requirePositive(readyTimeout, "ready timeout");
            Objects.requireNonNull(baseUrlByModel, "baseUrlByModel");
            Objects.requireNonNull(servedModelName, "servedModelName");
            Map<String, String> urls = new LinkedHashMap<>();
            baseUrlByModel.forEach((id, url) -> urls.put(id, OpenAiClient.normalizeBaseUrl(url)));
            servedModelName.forEach((id, name) -> {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("served model name of " + id + " must not be blank");
                }
            });
            baseUrlByModel = Map.copyOf(urls);
            servedModelName = Map.copyOf(servedModelName);
        }

        /**
         * Servers launched on 127.0.0.1 from port 8100, 2 minutes per request, 10 minutes to become ready, no
         * fixed URLs, no name mapping.
         */
        public static Options defaults() {
            return new Options("127.0.0.1", 8100, Duration.ofMinutes(2), Duration.ofMinutes(10), Map.of(), Map.of());
        }

        /** These options with {@code modelId} served at the running server {@code baseUrl}. */
        public Options withBaseUrl(String modelId, String baseUrl) {
            Map<String, String> urls = new HashMap<>(baseUrlByModel);
            urls.put(modelId, baseUrl);
            return new Options(host, basePort, requestTimeout, readyTimeout, urls, servedModelName);
        }

        /** These options with {@code modelId} known to its server as {@code servedName}. */
        public Options withServedName(String modelId, String servedName) {
            Map<String, String> names = new HashMap<>(servedModelName);
            names.put(modelId, servedName);
            return new Options(host, basePort, requestTimeout, readyTimeout, baseUrlByModel, names);
        }

        /** The name the server knows {@code modelId} by. */
        public String servedName(String modelId) {
            return servedModelName.getOrDefault(modelId, modelId);
        }
    }

    private enum State { LOADING, READY, DRAINING, STOPPING }

    private enum Health { OK, NOT_YET, EXITED }

    private record Pending(Work work, double submittedAt) {
    }

    private static final class Deployment {
        final ModelSpec model;
        final int gpu;
        final int port;               // -1 when served at a fixed URL
        final String servedName;
        final OpenAiClient client;
        final long readyDeadlineNanos;
        final double expectedReadyAt;  // while LOADING: the latest it can become ready
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        State state = State.LOADING;
        int concurrency;
        double shareWeight;
        double readyAt = Double.NaN;
        int running;
        double meanServiceSeconds;
        boolean seeded;
        boolean launchSettled;
        Launcher.Handle handle;
        Runnable afterStop;

        Deployment(ModelSpec model, int gpu, int port, String servedName, OpenAiClient client, int concurrency,
                   double shareWeight, long readyDeadlineNanos, double expectedReadyAt) {
            this.model = model;
            this.gpu = gpu;
            this.port = port;
            this.servedName = servedName;
            this.client = client;
            this.concurrency = concurrency;
            this.shareWeight = shareWeight;
            this.readyDeadlineNanos = readyDeadlineNanos;
            this.expectedReadyAt = expectedReadyAt;
        }

        String id() {
            return model.id();
        }

        boolean idle() {
            return queue.isEmpty() && running == 0;
        }
    }

    private static final class GpuBusy {
        int inFlight;
        double since;
        double busySeconds;
        double busyAtLastCall;
        double timeAtLastCall;

        GpuBusy(double now) {
            this.timeAtLastCall = now;
        }

        double busyUntil(double now) {
            return busySeconds + (inFlight > 0 ? now - since : 0);
        }
    }

    private final Options options;
    private final Launcher launcher;
    private final NodeThread node;
    private final Listener listener;
    private final HttpClient http;
    private final ExecutorService background;
    private final Executor onNode = this::onNode;
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Set<Integer> portsInUse = new HashSet<>();
    private final Set<Launcher.Handle> live = ConcurrentHashMap.newKeySet();
    private final Map<Integer, GpuBusy> gpus = new HashMap<>();
    private final double createdAt;
    private volatile boolean closed;

    /**
     * @param options  where the servers are and how long to wait for them
     * @param launcher starts and stops a server per deployment ({@link Launcher#none()} when they already run)
     * @param node     the connector's node thread: every callback runs on it, and its clock measures city time
     * @param listener where ready, load failures, unloads and finished work are reported
     */
    public HttpRuntime(Options options, Launcher launcher, NodeThread node, Listener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.node = Objects.requireNonNull(node, "node");
        this.listener = Objects.requireNonNull(listener, "listener");
        Duration connect = options.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0
                ? options.requestTimeout() : Duration.ofSeconds(10);
        // HTTP/1.1: model servers speak it everywhere; no h2c upgrade dance with uvicorn or Go servers.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connect).build();
        AtomicInteger threads = new AtomicInteger();
        this.background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-runtime-launcher-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.createdAt = node.now();
    }

    @Override
    public String kind() {
        return "http";
    }

    /** The options this runtime was built with. */
    public Options options() {
        return options;
    }

    @Override
    public void load(ModelSpec model, int gpuIndex, int concurrency, double shareWeight) {
        Objects.requireNonNull(model, "model");
        if (closed) {
            throw new IllegalStateException("the HTTP runtime is closed: cannot load " + model.id());
        }
        if (gpuIndex < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, was " + gpuIndex + " for " + model.id());
        }
        requireSlots(concurrency, model.id());
        requireWeight(shareWeight, model.id());
        Deployment existing = deployments.get(model.id());
        if (existing != null) {
            throw new IllegalStateException("model " + model.id() + " is already deployed here (GPU " + existing.gpu
                    + ", " + existing.state + ")");
        }
        String fixedUrl = options.baseUrlByModel().get(model.id());
        int port = fixedUrl == null ? freePort(model.id()) : -1;
        String url = fixedUrl != null ? fixedUrl : "http://" + urlHost(options.host()) + ":" + port + "/v1";
        double now = node.now();
        Deployment d = new Deployment(model, gpuIndex, port, options.servedName(model.id()),
                new OpenAiClient(http, url, options.requestTimeout()), concurrency, shareWeight,
                System.nanoTime() + options.readyTimeout().toNanos(),
                now + options.readyTimeout().toNanos() / 1e9 * node.clock().speedup());
        deployments.put(model.id(), d);
        if (port >= 0) {
            portsInUse.add(port);
        }
        if (fixedUrl != null) {
            LOG.info("loading {} on GPU {}: its server runs at {}", model.id(), gpuIndex, url);
            d.launchSettled = true;
            poll(d);
        } else {
            LOG.info("loading {} on GPU {}: launching its server at {}", model.id(), gpuIndex, url);
            launch(d);
        }
    }

    @Override
    public void unload(String modelId) {
        Deployment d = require(modelId);
        switch (d.state) {
            case LOADING -> {
                List<Pending> waiting = takeQueue(d);
                d.state = State.STOPPING;
                LOG.info("cancelling the load of {} on GPU {}", modelId, d.gpu);
                stop(d, () -> listener.unloaded(modelId));
                handBack(waiting, modelId + " was unloaded before it finished loading");
            }
            case READY -> {
                d.state = State.DRAINING;
                LOG.info("draining {} on GPU {}: {} running, {} queued", modelId, d.gpu, d.running, d.queue.size());
                finishDrainIfIdle(d);
            }
            case DRAINING, STOPPING -> {
                // already on its way out
            }
        }
    }

    @Override
    public void resize(String modelId, int concurrency, double shareWeight) {
        Deployment d = require(modelId);
        requireSlots(concurrency, modelId);
        requireWeight(shareWeight, modelId);
        d.concurrency = concurrency;
        d.shareWeight = shareWeight;
        dispatch(d);
    }

    @Override
    public boolean submit(Work work) {
        Objects.requireNonNull(work, "work");
        if (closed) {
            return false;
        }
        Deployment d = deployments.get(work.model().id());
        if (d == null || !(d.state == State.LOADING || d.state == State.READY)) {
            return false;
        }
        d.queue.add(new Pending(work, node.now()));
        dispatch(d);
        return true;
    }

    @Override
    public List<DeploymentInfo> deployments() {
        List<DeploymentInfo> out = new ArrayList<>(deployments.size());
        for (Deployment d : deployments.values()) {
            DeploymentInfo.Status status = switch (d.state) {
                case LOADING -> DeploymentInfo.Status.LOADING;
                case READY -> DeploymentInfo.Status.READY;
                case DRAINING, STOPPING -> DeploymentInfo.Status.DRAINING;
            };
            double readyAt = Double.isNaN(d.readyAt) ? d.expectedReadyAt : d.readyAt;
            out.add(new DeploymentInfo(d.id(), d.gpu, status, readyAt, d.concurrency, d.queue.size(), d.running,
                    d.meanServiceSeconds, d.model.memoryBytes(), d.shareWeight));
        }
        return out;
    }

    @Override
    public long memoryUsedBytes(int gpuIndex) {
        long used = 0;
        for (Deployment d : deployments.values()) {
            if (d.gpu == gpuIndex) {
                used += d.model.memoryBytes();
            }
        }
        return used;
    }

    /** Share of the time since the previous call with at least one request in flight on GPU {@code gpuIndex}. */
    @Override
    public double utilisationSinceLastCall(int gpuIndex) {
        double now = node.now();
        GpuBusy g = gpu(gpuIndex);
        double busy = g.busyUntil(now);
        double elapsed = now - g.timeAtLastCall;
        double u = elapsed > 0 ? (busy - g.busyAtLastCall) / elapsed : 0;
        g.busyAtLastCall = busy;
        g.timeAtLastCall = now;
        return Math.max(0, Math.min(1, u));
    }

    /**
     * Stops every launched server (waiting up to {@code CLOSE_WAIT} for them) and drops all state; no callback
     * follows, and answers still in flight are ignored.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Launcher.Handle h : List.copyOf(live)) {
            stops.add(CompletableFuture.runAsync(() -> stopHandle(h), background));
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("closing the HTTP runtime: model servers still stopping after {}", describe(CLOSE_WAIT));
        } catch (ExecutionException e) {
            LOG.warn("closing the HTTP runtime: stopping a model server failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!deployments.isEmpty()) {
            LOG.info("closed the HTTP runtime with {} deployments", deployments.size());
        }
        deployments.clear();
        portsInUse.clear();
        background.shutdown();
    }

    // ---- loading -----------------------------------------------------------------------------------------------

    private void launch(Deployment d) {
        String served = d.servedName;
        int gpu = d.gpu;
        int port = d.port;
        background.execute(() -> {
            Launcher.Handle h;
            try {
                h = Objects.requireNonNull(launcher.launch(served, gpu, port), "the launcher returned no handle");
            } catch (IOException | RuntimeException e) {
                String reason = "launching its server failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
                onNode(() -> launched(d, null, reason));
                return;
            }
            live.add(h);
            if (closed || !onNode(() -> launched(d, h, null))) {
                stopHandle(h);
            }
        });
    }

    /** On the node thread: the launch of {@code d} is settled, with a handle or with why it failed. */
    private void launched(Deployment d, Launcher.Handle h, String failure) {
        d.launchSettled = true;
        d.handle = h;
        if (closed) {
            return;  // close() stops every live handle
        }
        if (d.state == State.STOPPING) {
            finishStop(d);  // unloaded while it launched
        } else if (failure != null) {
            fail(d, failure);
        } else {
            poll(d);
        }
    }

    /** On the node thread: one health poll of a loading deployment (liveness first, then {@code GET /models}). */
    private void poll(Deployment d) {
        if (closed || d.state != State.LOADING) {
            return;
        }
        Launcher.Handle h = d.handle;
        // alive() may block (a docker inspect): ask it on a background thread.
        CompletableFuture<Boolean> alive = h == null ? CompletableFuture.completedFuture(true)
                : CompletableFuture.supplyAsync(h::alive, background);
        Duration timeout = options.requestTimeout().compareTo(HEALTH_TIMEOUT) < 0
                ? options.requestTimeout() : HEALTH_TIMEOUT;
        alive.thenCompose(a -> a
                        ? d.client.healthy(timeout).thenApply(ok -> ok ? Health.OK : Health.NOT_YET)
                        : CompletableFuture.completedFuture(Health.EXITED))
                .whenComplete((health, err) -> onNode(() -> polled(d, err == null ? health : Health.NOT_YET)));
    }

    private void polled(Deployment d, Health health) {
        if (closed || d.state != State.LOADING) {
            return;
        }
        switch (health) {
            case OK -> ready(d);
            case EXITED -> fail(d, "its server exited before it became healthy");
            case NOT_YET -> {
                if (System.nanoTime() - d.readyDeadlineNanos >= 0) {
                    fail(d, "not healthy after " + describe(options.readyTimeout()));
                } else {
                    CompletableFuture.delayedExecutor(HEALTH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS, onNode)
                            .execute(() -> poll(d));
                }
            }
        }
    }

    private void ready(Deployment d) {
        d.state = State.READY;
        d.readyAt = node.now();
        LOG.info("{} is ready on GPU {}", d.id(), d.gpu);
        dispatch(d);
        listener.ready(d.id());
    }

    /** A loading deployment failed: hand its waiting work back, stop its server, then report. */
    private void fail(Deployment d, String reason) {
        LOG.warn("loading {} on GPU {} failed: {}", d.id(), d.gpu, reason);
        List<Pending> waiting = takeQueue(d);
        d.state = State.STOPPING;
        String modelId = d.id();
        stop(d, () -> listener.loadFailed(modelId, reason));
        handBack(waiting, modelId + " failed to load: " + reason);
    }

    // ---- stopping ----------------------------------------------------------------------------------------------

    /** Stops {@code d}'s server (once its launch is settled), then removes it and runs {@code after}. */
    private void stop(Deployment d, Runnable after) {
        d.afterStop = after;
        if (d.launchSettled) {
            finishStop(d);
        }
    }

    private void finishStop(Deployment d) {
        Launcher.Handle h = d.handle;
        d.handle = null;
        if (h == null) {
            onNode(() -> stopped(d));
            return;
        }
        background.execute(() -> {
            stopHandle(h);
            onNode(() -> stopped(d));
        });
    }

    private void stopped(Deployment d) {
        if (closed) {
            return;
        }
        if (deployments.get(d.id()) == d) {
            deployments.remove(d.id());
        }
        if (d.port >= 0) {
            portsInUse.remove(d.port);
        }
        LOG.info("{} is gone from GPU {}", d.id(), d.gpu);
        if (d.afterStop != null) {
            d.afterStop.run();
        }
    }

    /** Stops {@code h} unless another thread already did (close and a launch can race for it). */
    private void stopHandle(Launcher.Handle h) {
        if (live.remove(h)) {
            try {
                h.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", h, e);
            }
        }
    }

    private void finishDrainIfIdle(Deployment d) {
        if (d.state == State.DRAINING && d.idle()) {
            d.state = State.STOPPING;
            String modelId = d.id();
            stop(d, () -> listener.unloaded(modelId));
        }
    }

    // ---- serving -----------------------------------------------------------------------------------------------

    private void dispatch(Deployment d) {
        while ((d.state == State.READY || d.state == State.DRAINING) && d.running < d.concurrency
                && !d.queue.isEmpty()) {
            start(d, d.queue.poll());
        }
    }

    private void start(Deployment d, Pending p) {
        double startedAt = node.now();
        d.running++;
        busy(d.gpu, +1, startedAt);
        CompletableFuture<InlineContent> call;
        try {
            call = d.client.run(d.model.modelClass(), d.servedName, p.work().prompt());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((output, err) -> {
            double endedAt = node.now();  // read here, not after the hop to the node thread
            onNode(() -> ended(d, p, startedAt, endedAt, output, err));
        });
    }

    private void ended(Deployment d, Pending p, double startedAt, double endedAt, InlineContent output,
                       Throwable err) {
        if (closed) {
            return;
        }
        d.running--;
        busy(d.gpu, -1, node.now());
        Outcome outcome;
        if (err == null) {
            double inference = Math.max(0, endedAt - startedAt);
            double loadWait = Math.max(0, d.readyAt - p.submittedAt());
            double queue = Math.max(0, startedAt - p.submittedAt() - loadWait);
            d.meanServiceSeconds = d.seeded ? (1 - EWMA_WEIGHT) * d.meanServiceSeconds + EWMA_WEIGHT * inference
                    : inference;
            d.seeded = true;
            outcome = new Outcome.Completed(output, queue, loadWait, inference);
        } else {
            String reason = OpenAiClient.Failure.reasonOf(err);
            LOG.debug("prompt {} on {} failed: {}", p.work().promptId(), d.id(), reason);
            outcome = new Outcome.Failed(ReasonCode.RUNTIME_ERROR, reason, false);
        }
        // Our state first, the listener last: a listener that throws must not stall the queue.
        dispatch(d);
        finishDrainIfIdle(d);
        listener.finished(p.work(), outcome);
    }

    private List<Pending> takeQueue(Deployment d) {
        List<Pending> out = new ArrayList<>(d.queue);
        d.queue.clear();
        return out;
    }

    private void handBack(List<Pending> waiting, String text) {
        for (Pending p : waiting) {
            listener.finished(p.work(), new Outcome.Failed(ReasonCode.NOT_DEPLOYED, text, true));
        }
    }

    private void busy(int gpuIndex, int delta, double now) {
        GpuBusy g = gpu(gpuIndex);
        if (g.inFlight == 0 && delta > 0) {
            g.since = now;
        }
        g.inFlight += delta;
        if (g.inFlight == 0) {
            g.busySeconds += now - g.since;
        }
    }

    private GpuBusy gpu(int gpuIndex) {
        if (gpuIndex < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, was " + gpuIndex);
        }
        return gpus.computeIfAbsent(gpuIndex, k -> new GpuBusy(createdAt));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Runs {@code task} on the node thread; false when the node thread is closed (the connector stops). */
    private boolean onNode(Runnable task) {
        try {
            node.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.debug("node thread closed: a runtime callback is dropped");
            return false;
        }
    }

    private int freePort(String modelId) {
        for (int port = options.basePort(); port <= 65535; port++) {
            if (!portsInUse.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no port left above " + options.basePort() + " for " + modelId);
    }

    private Deployment require(String modelId) {
        Deployment d = deployments.get(modelId);
        if (d == null) {
            throw new IllegalStateException("model " + modelId + " is not deployed here; deployed: "
                    + deployments.keySet());
        }
        return d;
    }

    private static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void requireSlots(int concurrency, String modelId) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency of " + modelId + " must be >= 1, was " + concurrency);
        }
    }

    private static void requireWeight(double shareWeight, String modelId) {
        if (!(shareWeight > 0) || Double.isInfinite(shareWeight)) {
            throw new IllegalArgumentException("share weight of " + modelId + " must be finite and > 0, was "
                    + shareWeight);
        }
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, was " + d);
        }
    }

    /** {@code 300 ms}, {@code 2 s}: a duration as an operator reads it. */
    static String describe(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
