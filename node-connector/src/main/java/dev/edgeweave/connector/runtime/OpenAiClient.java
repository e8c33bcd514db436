package dev.edgeweave.connector.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * A small asynchronous client for one OpenAI-compatible model server (vLLM, llama.cpp server, Ollama's
 * {@code /v1}, ...) at a base URL such as {@code http://127.0.0.1:8000/v1}: one call per model class.
 *
 * <table>
 *   <caption>What each class sends and what it returns</caption>
 *   <tr><th>class</th><th>request</th><th>output</th></tr>
 *   <tr><td>chat, vision-language</td><td>{@code POST /chat/completions}, one user message; an image goes as a
 *       {@code data:} URL after the text part {@value #VISION_INSTRUCTION}</td>
 *       <td>{@code choices[0].message.content} as {@value #TEXT_MEDIA_TYPE}</td></tr>
 *   <tr><td>image generation</td><td>{@code POST /images/generations}, {@code n=1}, a square size from the
 *       prompt's output pixels, {@code b64_json}</td><td>{@code data[0].b64_json} decoded, {@code image/png}</td></tr>
 *   <tr><td>speech recognition</td><td>{@code POST /audio/transcriptions}, multipart: {@code file}, {@code model}</td>
 *       <td>{@code text} as {@value #TEXT_MEDIA_TYPE}</td></tr>
 *   <tr><td>speech synthesis</td><td>{@code POST /audio/speech}, voice {@value #VOICE}</td>
 *       <td>the body, under its {@code Content-Type} ({@value #DEFAULT_SPEECH_MEDIA_TYPE} when absent)</td></tr>
 * </table>
 *
 * <p>Every call completes with the output as {@link InlineContent}, or fails with a {@link Failure} whose reason is
 * short and safe to log and to put in a result: a timeout, a connection error, a non-2xx status (the status
 * only: an error body may echo the prompt) or an answer that is not what the API promises. Prompt content and
 * response bodies are never logged nor quoted in a reason. Content by reference is not fetched.
 */
public final class OpenAiClient {

    /** The media type of text outputs. */
    public static final String TEXT_MEDIA_TYPE = "text/plain; charset=utf-8";

    /**
     * The text part sent with an image to a vision-language model: a prompt carries one content, so an image
     * prompt carries no text of its own.
     */
    public static final String VISION_INSTRUCTION = "Describe this image.";

    /** The voice asked of a speech-synthesis server. */
    public static final String VOICE = "alloy";

    /** The media type of a synthesised speech answer without a {@code Content-Type}. */
    public static final String DEFAULT_SPEECH_MEDIA_TYPE = "audio/mpeg";

    /** The side of a generated image when the prompt gives no output pixels. */
    static final int DEFAULT_IMAGE_SIDE = 1024;

    /** A media type's essence: type/subtype of RFC 6838 name characters (nothing that could break a header). */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;

    /**
     * @param http    the client (its executor runs the calls; nothing here blocks the caller)
     * @param baseUrl the server's OpenAI API root, e.g. {@code http://127.0.0.1:8000/v1}
     * @param timeout the longest a call waits for its whole answer
     * @throws IllegalArgumentException when the base URL is not an absolute http(s) URL or the timeout is not &gt; 0
     */
    public OpenAiClient(HttpClient http, String baseUrl, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUrl = normalizeBaseUrl(baseUrl);
        this.timeout = requirePositive(timeout, "request timeout");
    }

    /** The server's API root, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Runs {@code prompt} on {@code model}, the call chosen by the model's class.
     *
     * @param modelClass the model's class
     * @param model      the name the server knows the model by
     * @param prompt     the prompt: its inline content and, for chat and image generation, its sizes
     */
    public CompletableFuture<InlineContent> run(ModelClass modelClass, String model, Prompt prompt) {
        try {
            Objects.requireNonNull(modelClass, "modelClass");
            Objects.requireNonNull(model, "model");
            InlineContent content = inline(prompt.getContent());
            return switch (modelClass) {
                case CHAT -> chat(model, requireText(content, "a chat prompt"), prompt.getSizes().getOutputTokens());
                case VISION_LANGUAGE -> vision(model, content, prompt.getSizes().getOutputTokens());
                case IMAGE_GENERATION -> generateImage(model, requireText(content, "an image-generation prompt"),
                        prompt.getSizes().getOutputPixels());
                case SPEECH_RECOGNITION -> transcribe(model, content);
                case SPEECH_SYNTHESIS -> speak(model, requireText(content, "a speech-synthesis prompt"));
            };
        } catch (Failure f) {
            return CompletableFuture.failedFuture(f);
        }
    }

    /** A chat completion of one user message {@code text}, at most {@code maxTokens} out (none when &le; 0). */
    public CompletableFuture<InlineContent> chat(String model, String text, int maxTokens) {
        ObjectNode body = chatBody(model, maxTokens);
        ((ArrayNode) body.get("messages")).addObject().put("role", "user").put("content", text);
        return postChat(body);
    }

    /**
     * A vision-language completion: text content goes as a plain message; an image ({@code image/*}) goes as a
     * {@code data:} URL after the text part {@value #VISION_INSTRUCTION}.
     */
    public CompletableFuture<InlineContent> vision(String model, InlineContent content, int maxTokens) {
        String type = essence(content.getMediaType());
        if (!type.startsWith("image/") || !MEDIA_TYPE.matcher(type).matches()) {
            try {
                return chat(model, requireText(content, "a vision-language prompt"), maxTokens);
            } catch (Failure f) {
                return CompletableFuture.failedFuture(f);
            }
        }
        ObjectNode body = chatBody(model, maxTokens);
        ObjectNode message = ((ArrayNode) body.get("messages")).addObject().put("role", "user");
        ArrayNode parts = message.putArray("content");
        parts.addObject().put("type", "text").put("text", VISION_INSTRUCTION);
        parts.addObject().put("type", "image_url").putObject("image_url")
                .put("url", "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes(content)));
        return postChat(body);
    }

    /** One square image for {@code text}, of about {@code outputPixels} pixels (see {@link #imageSize}). */
    public CompletableFuture<InlineContent> generateImage(String model, String text, long outputPixels) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", text).put("n", 1)
                .put("size", imageSize(outputPixels)).put("response_format", "b64_json");
        return send(jsonPost("/images/generations", body)).thenApply(r -> {
            JsonNode b64 = parse(r).path("data").path(0).path("b64_json");
            if (!b64.isTextual() || b64.asText().isEmpty()) {
                throw garbage(r, "lacks data[0].b64_json");
            }
            byte[] image;
            try {
                image = Base64.getDecoder().decode(b64.asText());
            } catch (IllegalArgumentException e) {
                throw garbage(r, "has a data[0].b64_json that is not base64");
            }
            return content("image/png", image);
        });
    }

    /** The transcript of {@code audio} (an {@code audio/*} content), sent as {@code multipart/form-data}. */
    public CompletableFuture<InlineContent> transcribe(String model, InlineContent audio) {
        String type = essence(audio.getMediaType());
        if (!MEDIA_TYPE.matcher(type).matches() || !(type.startsWith("audio/") || type.startsWith("video/"))) {
            return CompletableFuture.failedFuture(new Failure(
                    "a speech-recognition prompt needs audio content, got " + safeMediaType(audio.getMediaType())));
        }
        String boundary = "edgeweave-" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        writePart(form, boundary, "Content-Disposition: form-data; name=\"model\"\r\n",
                model.getBytes(StandardCharsets.UTF_8));
        writePart(form, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"audio."
                + extension(type) + "\"\r\nContent-Type: " + type + "\r\n", bytes(audio));
        form.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = request("/audio/transcriptions")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build();
        return send(request).thenApply(r -> {
            JsonNode text = parse(r).path("text");
            if (!text.isTextual()) {
                throw garbage(r, "lacks a text field");
            }
            return content(TEXT_MEDIA_TYPE, text.asText().getBytes(StandardCharsets.UTF_8));
        });
    }

    /** {@code text} spoken with voice {@value #VOICE}: the answer's bytes under its {@code Content-Type}. */
    public CompletableFuture<InlineContent> speak(String model, String text) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("input", text).put("voice", VOICE);
        return send(jsonPost("/audio/speech", body)).thenApply(r -> {
            String type = r.headers().firstValue("Content-Type").map(String::strip).orElse("");
            if (type.isEmpty()) {
                type = DEFAULT_SPEECH_MEDIA_TYPE;
            } else if (!essence(type).startsWith("audio/")) {
                throw garbage(r, "is " + safeMediaType(type) + ", not audio");
            }
            if (r.body().length == 0) {
                throw garbage(r, "is empty");
            }
            return content(type, r.body());
        });
    }

    /**
     * Whether the server serves: {@code GET /models} answers 2xx within {@code timeout}. Completes with false on
     * any other status, a timeout or a connection error; never fails.
     */
    public CompletableFuture<Boolean> healthy(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/models"))
                .timeout(requirePositive(timeout, "health timeout")).header("Accept", "application/json").GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((r, err) -> err == null && r.statusCode() / 100 == 2);
    }

    /**
     * The {@code size} asked for an image of {@code outputPixels}: a square whose side is the square root rounded
     * to a multiple of 64 (what diffusion models work in), at least 64; {@code 1024x1024} when 0.
     */
    static String imageSize(long outputPixels) {
        long side = DEFAULT_IMAGE_SIDE;
        if (outputPixels > 0) {
            side = Math.max(64, Math.round(Math.sqrt((double) outputPixels) / 64.0) * 64);
        }
        return side + "x" + side;
    }

    // ---- failures ----------------------------------------------------------------------------------------------

    /**
     * Why a call failed, in a short reason with no prompt content and no response body: the HTTP runtime reports
     * it as {@code RUNTIME_ERROR}.
     */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param reason what went wrong, for the operator */
        public Failure(String reason) {
            super(reason, null, false, false);
        }

        /** The reason. */
        public String reason() {
            return getMessage();
        }

        /**
         * The reason behind {@code t}, a call's failure possibly wrapped by a {@link CompletableFuture}: a
         * {@code Failure}'s own, else the exception's type (its message may hold anything).
         */
        public static String reasonOf(Throwable t) {
            Throwable c = unwrap(t);
            return c instanceof Failure f ? f.reason() : "unexpected " + c.getClass().getSimpleName();
        }
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private ObjectNode chatBody(String model, int maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        body.putArray("messages");
        if (maxTokens > 0) {
            body.put("max_tokens", maxTokens);
        }
        return body;
    }

    private CompletableFuture<InlineContent> postChat(ObjectNode body) {
        return send(jsonPost("/chat/completions", body)).thenApply(r -> {
            JsonNode text = parse(r).path("choices").path(0).path("message").path("content");
            if (!text.isTextual()) {
                throw garbage(r, "lacks choices[0].message.content");
            }
            return content(TEXT_MEDIA_TYPE, text.asText().getBytes(StandardCharsets.UTF_8));
        });
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    }

    private HttpRequest jsonPost(String path, ObjectNode body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);  // cannot happen for an ObjectNode
        }
        return request(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    }

    /** Sends {@code request}; the response arrives only when 2xx, anything else is a {@link Failure}. */
    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
        String what = request.method() + " " + request.uri().getPath();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((r, err) -> {
            if (err != null) {
                throw failure(what, unwrap(err));
            }
            if (r.statusCode() / 100 != 2) {
                throw new Failure("model server answered HTTP " + r.statusCode() + " to " + what);
            }
            return r;
        });
    }

    private Failure failure(String what, Throwable err) {
        if (err instanceof HttpConnectTimeoutException) {
            return new Failure("timed out connecting to the model server at " + authority() + " for " + what);
        }
        if (err instanceof HttpTimeoutException) {
            return new Failure("timed out: no answer to " + what + " within the request timeout of "
                    + HttpRuntime.describe(timeout));
        }
        if (err instanceof ConnectException) {
            return new Failure("cannot connect to the model server at " + authority() + " for " + what);
        }
        if (err instanceof IOException) {
            return new Failure(what + " to the model server failed: " + err.getClass().getSimpleName());
        }
        return new Failure(what + " failed: unexpected " + err.getClass().getSimpleName());
    }

    private static JsonNode parse(HttpResponse<byte[]> r) {
        try {
            JsonNode root = JSON.readTree(r.body());
            if (root == null || root.isMissingNode()) {
                throw garbage(r, "is empty");
            }
            return root;
        } catch (IOException e) {
            throw garbage(r, "is not JSON");
        }
    }

    private static Failure garbage(HttpResponse<?> r, String what) {
        return new Failure("model server's answer to " + r.request().method() + " " + r.request().uri().getPath()
                + " " + what);
    }

    private String authority() {
        return URI.create(baseUrl).getAuthority();
    }

    private static InlineContent inline(Object content) {
        if (content instanceof InlineContent c) {
            return c;
        }
        if (content instanceof ContentReference) {
            throw new Failure("content by reference is not fetched by the HTTP runtime");
        }
        throw new Failure("prompt has no content");
    }

    private static String requireText(InlineContent content, String what) {
        String type = essence(content.getMediaType());
        if (!type.startsWith("text/")) {
            throw new Failure(what + " needs text content, got " + safeMediaType(content.getMediaType()));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(content.getData().duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw new Failure(what + "'s text is not valid UTF-8");
        }
    }

    private static byte[] bytes(InlineContent content) {
        ByteBuffer b = content.getData().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static InlineContent content(String mediaType, byte[] data) {
        return InlineContent.newBuilder().setMediaType(mediaType).setData(ByteBuffer.wrap(data)).build();
    }

    /** The media type without its parameters, lower case: {@code text/plain; charset=utf-8} gives {@code text/plain}. */
    static String essence(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int semi = mediaType.indexOf(';');
        return (semi < 0 ? mediaType : mediaType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** A media type fit for a reason or a header: printable ASCII without quotes, at most 100 characters. */
    private static String safeMediaType(String mediaType) {
        String s = mediaType == null ? "" : mediaType.replaceAll("[^\\x21-\\x7e ]|\"", "?");
        return "'" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "'";
    }

    private static String extension(String audioType) {
        String sub = audioType.substring(audioType.indexOf('/') + 1);
        if (sub.startsWith("x-")) {
            sub = sub.substring(2);
        }
        return switch (sub) {
            case "mpeg", "mp3" -> "mp3";
            case "wav", "wave", "vnd.wave" -> "wav";
            case "mp4", "m4a" -> "m4a";
            default -> sub.replaceAll("[^a-z0-9]", "").isEmpty() ? "bin" : sub.replaceAll("[^a-z0-9]", "");
        };
    }

    private static void writePart(ByteArrayOutputStream out, String boundary, String headers, byte[] value) {
        out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code baseUrl} without trailing slashes, checked to be an absolute http(s) URL. */
    static String normalizeBaseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String s = baseUrl.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model server base URL '" + baseUrl + "' is not a URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("model server base URL '" + baseUrl
                    + "' must be an absolute http(s) URL such as http://127.0.0.1:8000/v1");
        }
        return s;
    }

    private static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, was " + d);
        }
        return d;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
