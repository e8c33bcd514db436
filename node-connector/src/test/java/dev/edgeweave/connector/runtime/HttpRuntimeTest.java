package dev.edgeweave.connector.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeweave.connector.NodeThread;
import dev.edgeweave.connector.runtime.ModelRuntime.DeploymentInfo;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.sim.CityClock;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import dev.edgeweave.v1.ReasonCode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP runtime against {@link ScriptedModelServer}, a stand-in for a real OpenAI-compatible model server, on a
 * real {@link NodeThread}: one success per model class with the request checked, the failure modes (timeout,
 * status 500, garbage, content by reference), a load that never becomes healthy, the concurrency limit, a drain,
 * and close. Waits are on callbacks with generous deadlines, never on sleeps.
 */
class HttpRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    private static final ModelCatalog CATALOG = ModelCatalog.standard();
    private static final ModelSpec CHAT = CATALOG.byClass(ModelClass.CHAT).get(0);
    private static final ModelSpec VISION = CATALOG.byClass(ModelClass.VISION_LANGUAGE).get(0);
    private static final ModelSpec IMAGE = CATALOG.byClass(ModelClass.IMAGE_GENERATION).get(0);
    private static final ModelSpec ASR = CATALOG.byClass(ModelClass.SPEECH_RECOGNITION).get(0);
    private static final ModelSpec TTS = CATALOG.byClass(ModelClass.SPEECH_SYNTHESIS).get(0);
    private static final String CHAT_SERVED_NAME = "llama3.1:8b";

    private NodeThread node;
    private ScriptedModelServer server;
    private Recorder listener;
    private HttpRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        node = new NodeThread("node-test", CityClock.system(Instant.now(), 1.0));
        server = new ScriptedModelServer();
        listener = new Recorder(node);
    }

    @AfterEach
    void tearDown() {
        try {
            if (runtime != null) {
                onNode(() -> {
                    runtime.close();
                    return null;
                });
            }
        } finally {
            server.close();
            node.close();
        }
        assertEquals(List.of(), listener.problems, "listener contract violations");
    }

    // ---- one success per class -----------------------------------------------------------------------------------

    @Test
    void chatSendsOneUserMessageUnderTheServedNameAndReturnsTheFirstChoice() throws Exception {
        start(options(Duration.ofSeconds(5)).withServedName(CHAT.id(), CHAT_SERVED_NAME));
        Work work = work("p-chat", CHAT, text("describe the harbour at dusk"), sizes(12, 64));
        // Submitted with the load: it waits for the model, so it has a load wait and (almost) no queue.
        Outcome outcome = loadAndRun(CHAT, 4, work);

        Outcome.Completed done = assertInstanceOf(Outcome.Completed.class, outcome);
        assertEquals(OpenAiClient.TEXT_MEDIA_TYPE, mediaType(done));
        assertEquals(ScriptedModelServer.CHAT_ANSWER, text(done));
        assertTrue(done.loadWaitSeconds() > 0, "load wait " + done.loadWaitSeconds());
        assertTrue(done.queueSeconds() >= 0 && done.queueSeconds() < 1, "queue " + done.queueSeconds());
        assertTrue(done.inferenceSeconds() > 0, "inference " + done.inferenceSeconds());

        ScriptedModelServer.Received r = only("/chat/completions");
        assertEquals("POST", r.method());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertEquals(CHAT_SERVED_NAME, r.json().get("model").asText());
        assertEquals(64, r.json().get("max_tokens").asInt());
        JsonNode messages = r.json().get("messages");
        assertEquals(1, messages.size());
        assertEquals("user", messages.get(0).get("role").asText());
        assertEquals("describe the harbour at dusk", messages.get(0).get("content").asText());

        List<DeploymentInfo> deployed = onNode(runtime::deployments);
        assertEquals(1, deployed.size());
        DeploymentInfo d = deployed.get(0);
        assertEquals(DeploymentInfo.Status.READY, d.status());
        assertEquals(done.inferenceSeconds(), d.meanServiceSeconds(), 1e-9, "the first sample seeds the mean");
        assertEquals(CHAT.memoryBytes(), d.memoryBytes());
        assertEquals(CHAT.memoryBytes(), (long) onNode(() -> runtime.memoryUsedBytes(0)));
        assertEquals(0L, (long) onNode(() -> runtime.memoryUsedBytes(1)));
    }

    @Test
    void visionSendsTheImageAsADataUrlAfterATextPart() throws Exception {
        start(options(Duration.ofSeconds(5)));
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};
        PromptSizes sizes = PromptSizes.newBuilder().setInputTokens(20).setImages(1).setImagePixels(640L * 480)
                .setOutputTokens(100).setInputBytes(jpeg.length).build();
        Outcome outcome = loadAndRun(VISION, 2, work("p-vision", VISION, bytes("image/jpeg", jpeg), sizes));

        Outcome.Completed done = assertInstanceOf(Outcome.Completed.class, outcome);
        assertEquals(ScriptedModelServer.CHAT_ANSWER, text(done));

        JsonNode json = only("/chat/completions").json();
        assertEquals(VISION.id(), json.get("model").asText());
        assertEquals(100, json.get("max_tokens").asInt());
        JsonNode parts = json.get("messages").get(0).get("content");
        assertEquals(2, parts.size());
        assertEquals("text", parts.get(0).get("type").asText());
        assertEquals(OpenAiClient.VISION_INSTRUCTION, parts.get(0).get("text").asText());
        assertEquals("image_url", parts.get(1).get("type").asText());
        assertEquals("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg),
                parts.get(1).get("image_url").get("url").asText());
    }

    @Test
    void imageGenerationAsksForASquareB64ImageAndDecodesIt() throws Exception {
        start(options(Duration.ofSeconds(5)));
        PromptSizes sizes = PromptSizes.newBuilder().setInputTokens(8).setSteps(4).setOutputPixels(512L * 512)
                .setInputBytes(32).build();
        Outcome outcome = loadAndRun(IMAGE, 1, work("p-image", IMAGE, text("a lighthouse in fog"), sizes));

        Outcome.Completed done = assertInstanceOf(Outcome.Completed.class, outcome);
        assertEquals("image/png", mediaType(done));
        assertArrayEquals(ScriptedModelServer.IMAGE, data(done));

        JsonNode json = only("/images/generations").json();
        assertEquals(IMAGE.id(), json.get("model").asText());
        assertEquals("a lighthouse in fog", json.get("prompt").asText());
        assertEquals(1, json.get("n").asInt());
        assertEquals("512x512", json.get("size").asText());
        assertEquals("b64_json", json.get("response_format").asText());
    }

    @Test
    void transcriptionSendsTheAudioAsMultipartAndReturnsTheText() throws Exception {
        start(options(Duration.ofSeconds(5)));
        byte[] wav = {'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'A', 'V', 'E', 0, (byte) 0x80, '\r', '\n', '-', '-'};
        PromptSizes sizes = PromptSizes.newBuilder().setInputTokens(0).setAudioSeconds(4.5)
                .setInputBytes(wav.length).build();
        Outcome outcome = loadAndRun(ASR, 1, work("p-asr", ASR, bytes("audio/wav", wav), sizes));

        Outcome.Completed done = assertInstanceOf(Outcome.Completed.class, outcome);
        assertEquals(OpenAiClient.TEXT_MEDIA_TYPE, mediaType(done));
        assertEquals(ScriptedModelServer.TRANSCRIPT, text(done));

        ScriptedModelServer.Received r = only("/audio/transcriptions");
        assertTrue(r.contentType().startsWith("multipart/form-data; boundary="), r.contentType());
        assertEquals(ASR.id(), r.parts().get("model").text());
        ScriptedModelServer.Part file = r.parts().get("file");
        assertEquals("audio/wav", file.contentType());
        assertEquals("audio.wav", file.filename());
        assertArrayEquals(wav, file.data());
    }

    @Test
    void speechSendsTheTextAndReturnsTheAudioUnderItsContentType() throws Exception {
        start(options(Duration.ofSeconds(5)));
        Outcome outcome = loadAndRun(TTS, 1, work("p-tts", TTS, text("good evening"), sizes(3, 0)));

        Outcome.Completed done = assertInstanceOf(Outcome.Completed.class, outcome);
        assertEquals(ScriptedModelServer.SPEECH_MEDIA_TYPE, mediaType(done));
        assertArrayEquals(ScriptedModelServer.SPEECH, data(done));

        JsonNode json = only("/audio/speech").json();
        assertEquals(TTS.id(), json.get("model").asText());
        assertEquals("good evening", json.get("input").asText());
        assertEquals(OpenAiClient.VOICE, json.get("voice").asText());
    }

    // ---- failures ------------------------------------------------------------------------------------------------

    @Test
    void aRequestThatOutlivesItsTimeoutFailsWithRuntimeError() throws Exception {
        server.script("/chat/completions", ScriptedModelServer.delayed(Duration.ofSeconds(3)));
        start(options(Duration.ofMillis(300)));
        deploy(CHAT, 1);

        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class,
                run(work("p-slow", CHAT, text("take your time"), sizes(3, 10))));
        assertEquals(ReasonCode.RUNTIME_ERROR, failed.reason());
        assertFalse(failed.handBack());
        assertTrue(failed.text().contains("timed out") && failed.text().contains("300 ms"), failed.text());
    }

    @Test
    void aServerErrorFailsWithItsStatusAndNotItsBody() throws Exception {
        server.script("/chat/completions", ScriptedModelServer.status(500));
        start(options(Duration.ofSeconds(5)));
        deploy(CHAT, 1);

        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class,
                run(work("p-500", CHAT, text("hello"), sizes(1, 10))));
        assertEquals(ReasonCode.RUNTIME_ERROR, failed.reason());
        assertFalse(failed.handBack());
        assertTrue(failed.text().contains("HTTP 500"), failed.text());
        assertFalse(failed.text().contains("scripted failure"), "the body stays out of the reason: " + failed.text());
    }

    @Test
    void garbageAnswersFailWithRuntimeError() throws Exception {
        server.script("/chat/completions", ScriptedModelServer.garbage())
                .script("/images/generations", ScriptedModelServer.json("{\"data\":[{\"b64_json\":\"not base64!\"}]}"))
                .script("/audio/transcriptions", ScriptedModelServer.json("{\"choices\":[]}"))
                .script("/audio/speech", ScriptedModelServer.garbage());
        start(options(Duration.ofSeconds(5)));
        deploy(CHAT, 1);
        deploy(IMAGE, 1);
        deploy(ASR, 1);
        deploy(TTS, 1);

        Map<String, String> expected = Map.of(
                "p-chat", "is not JSON",
                "p-image", "not base64",
                "p-asr", "lacks a text field",
                "p-tts", "not audio");
        List<Work> works = List.of(
                work("p-chat", CHAT, text("hello"), sizes(1, 10)),
                work("p-image", IMAGE, text("a boat"), sizes(2, 0)),
                work("p-asr", ASR, bytes("audio/wav", new byte[] {1, 2, 3}), sizes(0, 0)),
                work("p-tts", TTS, text("hello"), sizes(1, 0)));
        for (Work w : works) {
            Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, run(w), w.promptId());
            assertEquals(ReasonCode.RUNTIME_ERROR, failed.reason(), w.promptId());
            assertFalse(failed.handBack(), w.promptId());
            assertTrue(failed.text().contains(expected.get(w.promptId())), w.promptId() + ": " + failed.text());
            assertFalse(failed.text().contains("upstream hiccup"), "the body stays out of the reason");
        }
    }

    @Test
    void contentByReferenceIsNotFetched() throws Exception {
        start(options(Duration.ofSeconds(5)));
        deploy(VISION, 1);
        ContentReference ref = ContentReference.newBuilder().setUri("s3://edgeweave-content/p-ref.jpg")
                .setMediaType("image/jpeg").setSizeBytes(2_000_000).build();

        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class,
                run(work("p-ref", VISION, ref, sizes(10, 10))));
        assertEquals(ReasonCode.RUNTIME_ERROR, failed.reason());
        assertEquals("content by reference is not fetched by the HTTP runtime", failed.text());
        assertEquals(List.of(), server.received("/chat/completions"));
    }

    @Test
    void aServerThatNeverBecomesHealthyFailsTheLoadAndHandsBackItsWaitingWork() throws Exception {
        server.script("/models", ScriptedModelServer.status(503));
        start(new HttpRuntime.Options("127.0.0.1", 8100, Duration.ofMillis(500), Duration.ofSeconds(1),
                Map.of(CHAT.id(), server.baseUrl()), Map.of()));
        Work first = work("p-1", CHAT, text("one"), sizes(1, 10));
        Work second = work("p-2", CHAT, text("two"), sizes(1, 10));
        onNode(() -> {
            runtime.load(CHAT, 0, 2, 1.0);
            assertTrue(runtime.submit(first));
            assertTrue(runtime.submit(second));
            return null;
        });

        String reason = listener.whenLoadFailed(CHAT.id()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("not healthy after 1 s", reason);
        for (Work w : List.of(first, second)) {
            Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, listener.whenFinished(w).get(0, TimeUnit.SECONDS),
                    "handed back before loadFailed");
            assertEquals(ReasonCode.NOT_DEPLOYED, failed.reason());
            assertTrue(failed.handBack());
            assertTrue(failed.text().contains("not healthy after 1 s"), failed.text());
        }
        assertEquals(List.of(), onNode(runtime::deployments));
        assertEquals(0L, (long) onNode(() -> runtime.memoryUsedBytes(0)));
        assertFalse(listener.whenReady(CHAT.id()).isDone());
        assertTrue(server.received("/models").size() >= 2, "polled more than once");
        assertEquals(List.of(), server.received("/chat/completions"));
    }

    // ---- slots, drain, close -------------------------------------------------------------------------------------

    @Test
    void neverMoreRequestsInFlightThanSlots() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        server.script("/chat/completions", ScriptedModelServer.held(gate));
        start(options(Duration.ofSeconds(15)));
        deploy(CHAT, 2);
        onNode(() -> runtime.utilisationSinceLastCall(0));

        List<Work> works = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            works.add(work("p-" + i, CHAT, text("prompt " + i), sizes(2, 10)));
        }
        onNode(() -> {
            works.forEach(w -> assertTrue(runtime.submit(w)));
            return null;
        });
        awaitTrue(() -> server.inFlight() == 2, "two requests in flight at the server");
        DeploymentInfo d = onNode(runtime::deployments).get(0);
        assertEquals(2, d.running());
        assertEquals(2, d.queued());

        gate.countDown();
        for (Work w : works) {
            assertInstanceOf(Outcome.Completed.class, listener.whenFinished(w).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertEquals(2, server.maxInFlight());
        assertEquals(4, server.received("/chat/completions").size());
        double utilisation = onNode(() -> runtime.utilisationSinceLastCall(0));
        assertTrue(utilisation > 0 && utilisation <= 1, "utilisation " + utilisation);
        Outcome.Completed last = (Outcome.Completed) listener.whenFinished(works.get(3)).get();
        assertTrue(last.queueSeconds() > 0, "the third and fourth waited for a slot: " + last.queueSeconds());
    }

    @Test
    void unloadDrainsTheQueueThenStopsTheLaunchedServer() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ScriptedLauncher launcher = new ScriptedLauncher(s -> s.script("/chat/completions",
                ScriptedModelServer.held(gate)));
        int basePort = freePort();
        start(new HttpRuntime.Options("127.0.0.1", basePort, Duration.ofSeconds(15), Duration.ofSeconds(10),
                Map.of(), Map.of(CHAT.id(), CHAT_SERVED_NAME)), launcher);
        deploy(CHAT, 1);
        assertEquals(List.of(CHAT_SERVED_NAME + " gpu 0 port " + basePort), launcher.launches);
        ScriptedModelServer launched = launcher.servers.get(0);

        Work first = work("p-1", CHAT, text("one"), sizes(1, 10));
        Work second = work("p-2", CHAT, text("two"), sizes(1, 10));
        onNode(() -> runtime.submit(first) && runtime.submit(second));
        awaitTrue(() -> launched.inFlight() == 1, "the first request at the server");

        Work late = work("p-late", CHAT, text("late"), sizes(1, 10));
        onNode(() -> {
            runtime.unload(CHAT.id());
            assertFalse(runtime.submit(late), "a draining deployment takes nothing new");
            DeploymentInfo d = runtime.deployments().get(0);
            assertEquals(DeploymentInfo.Status.DRAINING, d.status());
            assertEquals(1, d.running());
            assertEquals(1, d.queued());
            return null;
        });
        assertFalse(listener.whenUnloaded(CHAT.id()).isDone(), "still draining while its work runs");

        gate.countDown();
        listener.whenUnloaded(CHAT.id()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertInstanceOf(Outcome.Completed.class, listener.whenFinished(first).get(0, TimeUnit.SECONDS));
        assertInstanceOf(Outcome.Completed.class, listener.whenFinished(second).get(0, TimeUnit.SECONDS));
        assertTrue(launched.closed(), "the server was stopped");
        assertEquals(2, launched.received("/chat/completions").size());
        assertEquals(List.of(), onNode(runtime::deployments));
        assertEquals(0L, (long) onNode(() -> runtime.memoryUsedBytes(0)));
        assertNull(listener.outcomes.get("p-late"));
    }

    @Test
    void unloadingALoadingModelHandsBackItsWaitingWork() throws Exception {
        server.script("/models", ScriptedModelServer.status(503));
        start(options(Duration.ofSeconds(5)));
        Work waiting = work("p-wait", CHAT, text("wait"), sizes(1, 10));
        onNode(() -> {
            runtime.load(CHAT, 0, 1, 1.0);
            assertTrue(runtime.submit(waiting));
            runtime.unload(CHAT.id());
            return null;
        });

        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class,
                listener.whenFinished(waiting).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(ReasonCode.NOT_DEPLOYED, failed.reason());
        assertTrue(failed.handBack());
        listener.whenUnloaded(CHAT.id()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(listener.whenLoadFailed(CHAT.id()).isDone());
        assertEquals(List.of(), onNode(runtime::deployments));
    }

    @Test
    void closeStopsLaunchedServersAndReportsNothingAfter() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ScriptedLauncher launcher = new ScriptedLauncher(s -> s.script("/chat/completions",
                ScriptedModelServer.held(gate)));
        start(new HttpRuntime.Options("127.0.0.1", freePort(), Duration.ofSeconds(15), Duration.ofSeconds(10),
                Map.of(), Map.of()), launcher);
        deploy(CHAT, 1);
        ScriptedModelServer launched = launcher.servers.get(0);
        Work running = work("p-run", CHAT, text("run"), sizes(1, 10));
        onNode(() -> runtime.submit(running));
        awaitTrue(() -> launched.inFlight() == 1, "the request at the server");

        onNode(() -> {
            runtime.close();
            return null;
        });
        assertTrue(launched.closed(), "close stopped the server");
        gate.countDown();
        onNode(() -> null);  // one more turn of the node thread
        assertFalse(listener.whenFinished(running).isDone(), "no callback after close");
        assertFalse(onNode(() -> runtime.submit(work("p-after", CHAT, text("after"), sizes(1, 1)))));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private HttpRuntime.Options options(Duration requestTimeout) {
        Map<String, String> urls = new HashMap<>();
        for (ModelSpec m : List.of(CHAT, VISION, IMAGE, ASR, TTS)) {
            urls.put(m.id(), server.baseUrl());
        }
        return new HttpRuntime.Options("127.0.0.1", 8100, requestTimeout, Duration.ofSeconds(10), urls, Map.of());
    }

    private void start(HttpRuntime.Options options) {
        start(options, Launcher.none());
    }

    private void start(HttpRuntime.Options options, Launcher launcher) {
        runtime = new HttpRuntime(options, launcher, node, listener);
        assertEquals("http", runtime.kind());
    }

    private void deploy(ModelSpec model, int slots) throws Exception {
        onNode(() -> {
            runtime.load(model, 0, slots, 1.0);
            return null;
        });
        listener.whenReady(model.id()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Outcome loadAndRun(ModelSpec model, int slots, Work work) throws Exception {
        onNode(() -> {
            runtime.load(model, 0, slots, 1.0);
            assertTrue(runtime.submit(work));
            return null;
        });
        listener.whenReady(model.id()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return listener.whenFinished(work).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Outcome run(Work work) throws Exception {
        assertTrue(onNode(() -> runtime.submit(work)), "accepted " + work.promptId());
        return listener.whenFinished(work).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T onNode(Supplier<T> action) {
        try {
            return CompletableFuture.supplyAsync(action, node).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("on the node thread: " + e, e);
        }
    }

    private ScriptedModelServer.Received only(String endpoint) {
        List<ScriptedModelServer.Received> all = server.received(endpoint);
        assertEquals(1, all.size(), "requests to " + endpoint);
        return all.get(0);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    private Work work(String id, ModelSpec model, Object content, PromptSizes sizes) {
        Prompt prompt = Prompt.newBuilder().setPromptId(id).setModelId(model.id()).setUserId("user-7")
                .setAccessPointId("ap-3").setSloSeconds(20.0).setCreatedAt(T0).setSizes(sizes).setContent(content)
                .build();
        PromptSize size = new PromptSize(sizes.getInputTokens(), sizes.getImages(), sizes.getImagePixels(),
                sizes.getAudioSeconds(), sizes.getOutputTokens(), sizes.getSteps(), sizes.getOutputPixels(),
                sizes.getInputBytes());
        return new Work(id, 1, model, size, prompt, 0.0);
    }

    private static PromptSizes sizes(int inputTokens, int outputTokens) {
        return PromptSizes.newBuilder().setInputTokens(inputTokens).setOutputTokens(outputTokens)
                .setInputBytes(4L * inputTokens).build();
    }

    private static InlineContent text(String s) {
        return bytes("text/plain; charset=utf-8", s.getBytes(StandardCharsets.UTF_8));
    }

    private static InlineContent bytes(String mediaType, byte[] data) {
        return InlineContent.newBuilder().setMediaType(mediaType).setData(ByteBuffer.wrap(data)).build();
    }

    private static String mediaType(Outcome.Completed done) {
        return assertInstanceOf(InlineContent.class, done.output()).getMediaType();
    }

    private static byte[] data(Outcome.Completed done) {
        ByteBuffer b = assertInstanceOf(InlineContent.class, done.output()).getData().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static String text(Outcome.Completed done) {
        return new String(data(done), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Records every callback, and whether each came on the node thread and at most once. */
    private static final class Recorder implements ModelRuntime.Listener {
        final NodeThread node;
        final Map<String, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<String>> loadFailed = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<Void>> unloaded = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
        final List<String> problems = new CopyOnWriteArrayList<>();

        Recorder(NodeThread node) {
            this.node = node;
        }

        CompletableFuture<Void> whenReady(String modelId) {
            return ready.computeIfAbsent(modelId, k -> new CompletableFuture<>());
        }

        CompletableFuture<String> whenLoadFailed(String modelId) {
            return loadFailed.computeIfAbsent(modelId, k -> new CompletableFuture<>());
        }

        CompletableFuture<Void> whenUnloaded(String modelId) {
            return unloaded.computeIfAbsent(modelId, k -> new CompletableFuture<>());
        }

        CompletableFuture<Outcome> whenFinished(Work work) {
            return outcomes.computeIfAbsent(work.promptId(), k -> new CompletableFuture<>());
        }

        @Override
        public void ready(String modelId) {
            check("ready " + modelId, whenReady(modelId).complete(null));
        }

        @Override
        public void loadFailed(String modelId, String reason) {
            check("loadFailed " + modelId, whenLoadFailed(modelId).complete(reason));
        }

        @Override
        public void unloaded(String modelId) {
            check("unloaded " + modelId, whenUnloaded(modelId).complete(null));
        }

        @Override
        public void finished(Work work, Outcome outcome) {
            check("finished " + work.promptId(), whenFinished(work).complete(outcome));
        }

        private void check(String what, boolean first) {
            if (!node.onThread()) {
                problems.add(what + " off the node thread, on " + Thread.currentThread().getName());
            }
            if (!first) {
                problems.add(what + " more than once");
            }
        }
    }

    /** A launcher whose "process" is a {@link ScriptedModelServer} on the given port. */
    private static final class ScriptedLauncher implements Launcher {
        final java.util.function.Consumer<ScriptedModelServer> configure;
        final List<String> launches = new CopyOnWriteArrayList<>();
        final List<ScriptedModelServer> servers = new CopyOnWriteArrayList<>();

        ScriptedLauncher(java.util.function.Consumer<ScriptedModelServer> configure) {
            this.configure = configure;
        }

        @Override
        public Handle launch(String modelId, int gpuIndex, int port) throws IOException {
            launches.add(modelId + " gpu " + gpuIndex + " port " + port);
            ScriptedModelServer s = new ScriptedModelServer(port);
            configure.accept(s);
            servers.add(s);
            return new Handle() {
                @Override
                public void stop() {
                    s.close();
                }

                @Override
                public boolean alive() {
                    return !s.closed();
                }
            };
        }
    }
}
