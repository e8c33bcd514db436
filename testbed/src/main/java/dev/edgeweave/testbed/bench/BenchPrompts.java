package dev.edgeweave.testbed.bench;

import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.testbed.workload.Workload;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptSizes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The benchmark's prompts: entry {@code i mod size} of a generated workload (its model, user, access point
 * and sizes, resampled as the testbed resamples them), all created at one instant with a long SLO so that
 * none is late however long a run takes, and a short inline text as content: routing reads only the sizes,
 * and a small record makes the broker's share of the work, the same for both topologies, smaller, which
 * is the harder case for the ratio.
 */
public final class BenchPrompts {

    /** The SLO of every benchmark prompt: a day, so no prompt passes its deadline during a run. */
    public static final double SLO_SECONDS = 24 * 3600;

    private static final byte[] CONTENT =
            "A benchmark prompt: routing reads its sizes, never this text.".getBytes(StandardCharsets.UTF_8);

    private final Workload workload;
    private final Instant createdAt;

    public BenchPrompts(Workload workload, Instant createdAt) {
        this.workload = Objects.requireNonNull(workload, "workload");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        if (workload.size() == 0) {
            throw new IllegalArgumentException("the workload has no prompts");
        }
    }

    /** The id of prompt {@code i}; also its record key. */
    public static String id(long i) {
        return String.format(Locale.ROOT, "bench-%08d", i);
    }

    /** Prompt {@code i}. */
    public Prompt prompt(long i) {
        int w = (int) (i % workload.size());
        PromptSize s = workload.size(w);
        return Prompt.newBuilder().setPromptId(id(i)).setModelId(workload.modelId(w))
                .setUserId("user-" + workload.user(w)).setAccessPointId(workload.accessPointId(w))
                .setSloSeconds(SLO_SECONDS).setCreatedAt(createdAt)
                .setSizes(PromptSizes.newBuilder().setInputTokens(s.inputTokens()).setImages(s.images())
                        .setImagePixels(s.imagePixels()).setAudioSeconds(s.audioSeconds())
                        .setOutputTokens(s.outputTokens()).setSteps(s.steps()).setOutputPixels(s.outputPixels())
                        .setInputBytes(s.inputBytes()).build())
                .setContent(InlineContent.newBuilder().setMediaType("text/plain; charset=utf-8")
                        .setData(ByteBuffer.wrap(CONTENT)).build())
                .build();
    }

    /** Prompts in the workload (ids past it repeat its entries). */
    public int distinct() {
        return workload.size();
    }

    public Workload workload() {
        return workload;
    }
}
