package dev.edgeweave.core.routing.baseline;

import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.core.model.LatencyParams;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.core.model.SpeechParams;
import dev.edgeweave.core.model.TokenParams;
import dev.edgeweave.core.model.VisionLanguageParams;
import dev.edgeweave.core.routing.Candidates;
import java.util.Arrays;

/**
 * What several baselines share: the candidates in server-index order (round-robin's rotation, VTC's pod
 * positions) and per-server arrays that grow as server indices appear. Everything here reuses its buffers, so
 * a router's {@code choose} allocates nothing once it has seen the largest candidate set.
 */
final class BaselineSupport {

    private BaselineSupport() {
    }

    /**
     * The candidates' positions sorted by server index, into a buffer reused across calls. Upstream routers see
     * their endpoints in a stable order (production-stack sorts by URL, AIBrix walks its pod list); the server
     * index is edgeweave's stable equivalent, whatever order the caller lists candidates in.
     */
    static final class ServerOrder {

        private long[] keys = new long[16];
        private int[] order = new int[16];

        /** Positions {@code 0..candidates.size()-1} by ascending server index; valid until the next call. */
        int[] sort(Candidates candidates) {
            int n = candidates.size();
            if (keys.length < n) {
                int length = Math.max(n, 2 * keys.length);
                keys = new long[length];
                order = new int[length];
            }
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) candidates.serverIndex(i) << 32) | i;
            }
            Arrays.sort(keys, 0, n);
            for (int r = 0; r < n; r++) {
                order[r] = (int) (keys[r] & 0xFFFF_FFFFL);
            }
            return order;
        }
    }

    /** {@code array}, or a copy at least twice as long, so that {@code index} is a valid position. */
    static int[] ensure(int[] array, int index) {
        checkServerIndex(index);
        return index < array.length ? array : Arrays.copyOf(array, Math.max(index + 1, 2 * array.length));
    }

    static void checkServerIndex(int serverIndex) {
        if (serverIndex < 0) {
            throw new IllegalArgumentException("serverIndex must be >= 0, was " + serverIndex);
        }
    }

    /**
     * The completion tokens an OpenAI-style response would report in its {@code usage}: chat and
     * vision-language prompts only (requested, or the model's default when the prompt asks for 0); 0 for the
     * other classes, whose responses carry no token usage.
     */
    static int completionTokens(ModelSpec model, PromptSize size) {
        LatencyParams law = model.law();
        if (law instanceof TokenParams t) {
            return LatencyLaws.outputTokens(t, size);
        }
        if (law instanceof VisionLanguageParams v) {
            return LatencyLaws.outputTokens(v.language(), size);
        }
        return 0;
    }

    /**
     * Text tokens a prompt sends back: the completion of a chat or vision-language prompt, the transcript of a
     * speech-recognition prompt; 0 for image generation and speech synthesis, whose output is not text.
     */
    static long outputTextTokens(ModelSpec model, PromptSize size) {
        if (model.modelClass() == ModelClass.SPEECH_RECOGNITION && model.law() instanceof SpeechParams s) {
            return Math.round(LatencyLaws.audioSeconds(model, size) / s.speechSecondsPerToken());
        }
        return completionTokens(model, size);
    }
}
