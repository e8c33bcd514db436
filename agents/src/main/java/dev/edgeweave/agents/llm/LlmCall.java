package dev.edgeweave.agents.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.service.output.OutputParsingException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One call of a model under a deadline, every failure turned into an {@link LlmAnswerException} whose message
 * says what kind of failure it was. The call runs on a daemon thread so that the deadline holds even when a
 * server sends its headers and then stalls (the HTTP client's timeout covers the wait for headers only);
 * past the deadline the thread is interrupted and left to end.
 */
final class LlmCall {

    private static final int MAX_DETAIL = 400;
    private static final Pattern BASE64 = Pattern.compile("\\s*\\(base64: \"[^\"]*\"\\)");
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "edgeweave-llm-call-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private LlmCall() {
    }

    /** The answer of {@code call}; an {@link LlmAnswerException} if it fails or takes longer than {@code deadline}. */
    static <T> T within(Duration deadline, Supplier<T> call) {
        Future<T> future = POOL.submit(call::get);
        try {
            return future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new LlmAnswerException(LlmAnswerException.Kind.TIMEOUT,
                    "no answer within the deadline of " + deadline.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new LlmAnswerException(LlmAnswerException.Kind.MODEL_ERROR,
                    "interrupted while waiting for the model", e);
        } catch (CancellationException e) {
            throw new LlmAnswerException(LlmAnswerException.Kind.MODEL_ERROR, "the model call was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw classify(cause);
        }
    }

    /** The {@link LlmAnswerException} that says what {@code failure} of a model call was. */
    static LlmAnswerException classify(Throwable failure) {
        if (failure instanceof LlmAnswerException answer) {
            return answer;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return new LlmAnswerException(LlmAnswerException.Kind.TIMEOUT,
                        "the model did not answer in time (" + describe(t) + ")", failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutputParsingException) {
                return new LlmAnswerException(LlmAnswerException.Kind.UNPARSEABLE, parseFailure(t), failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) {
                return new LlmAnswerException(LlmAnswerException.Kind.MODEL_ERROR,
                        "HTTP " + http.statusCode() + " from the model server: " + abbreviate(http.getMessage()),
                        failure);
            }
        }
        return new LlmAnswerException(LlmAnswerException.Kind.MODEL_ERROR, describe(failure), failure);
    }

    /**
     * What a parse failure says, without the base64 copy of the answer langchain4j adds, and with the parser's
     * own reason (e.g. Jackson's {@code Missing required creator property 'weight'}) when there is one.
     */
    private static String parseFailure(Throwable parsing) {
        String what = parsing.getMessage() == null ? "" : BASE64.matcher(parsing.getMessage()).replaceAll("");
        Throwable root = parsing;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root == parsing || root.getMessage() == null ? "" : "; " + root.getMessage().lines().findFirst()
                .orElse("");
        return abbreviate(what + why);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + abbreviate(t.getMessage()));
    }

    /** {@code text} on one line, cut to a few hundred characters: enough to see what went wrong. */
    static String abbreviate(String text) {
        if (text == null) {
            return "(no message)";
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }
}
