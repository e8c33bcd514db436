package dev.edgeweave.agents.memory;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 through LangChain4j's in-process ONNX runtime. The model (90 MB, about 1.5 s to load) is
 * loaded once per JVM and shared: every memory and every agent embeds with the same instance, whose ONNX
 * session is safe to call from several threads.
 */
final class MiniLmSituationEmbedder implements SituationEmbedder {

    static final String NAME = "all-minilm-l6-v2";

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmSituationEmbedder.class);

    /** Loaded on first use (holder idiom): agents that never remember never pay the load. */
    private static final class Holder {
        static final MiniLmSituationEmbedder INSTANCE = load();
    }

    private final EmbeddingModel model;

    private MiniLmSituationEmbedder(EmbeddingModel model) {
        this.model = model;
    }

    static MiniLmSituationEmbedder shared() {
        return Holder.INSTANCE;
    }

    private static MiniLmSituationEmbedder load() {
        long t0 = System.nanoTime();
        EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        LOG.info("embedding model {} loaded in {} ms", NAME, (System.nanoTime() - t0) / 1_000_000);
        return new MiniLmSituationEmbedder(model);
    }

    @Override
    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }

    @Override
    public String name() {
        return NAME;
    }
}
