package dev.edgeweave.planner;

import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.latency.LatencyLaws;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.PromptValidator;
import dev.edgeweave.schemas.ValidatedPrompt;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.Topics;
import dev.edgeweave.v1.AttemptOutcome;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.DeploymentState;
import dev.edgeweave.v1.DeploymentStatus;
import dev.edgeweave.v1.GpuState;
import dev.edgeweave.v1.LinkSample;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptRejection;
import java.util.Locale;

/**
 * Turns a record of one of the planner's input topics into a {@link CityEvent}. A record that does not decode,
 * or a prompt {@link PromptValidator} refuses as the scheduler does (an unknown model, sizes over the model's
 * limits, created more than an hour after it was produced, ...; a duplicate id is not seen here), is refused with an {@link InvalidRecordException}
 * naming why: the source skips it and counts it, and the job goes on.
 */
public final class CityEventDecoder {

    private static final AvroCodec<Prompt> PROMPTS = AvroCodec.of(Prompt.class);
    private static final AvroCodec<AttemptResult> RESULTS = AvroCodec.of(AttemptResult.class);
    private static final AvroCodec<PromptCompletion> COMPLETIONS = AvroCodec.of(PromptCompletion.class);
    private static final AvroCodec<PromptRejection> REJECTIONS = AvroCodec.of(PromptRejection.class);
    private static final AvroCodec<NodeState> STATES = AvroCodec.of(NodeState.class);
    private static final AvroCodec<LinkSample> LINKS = AvroCodec.of(LinkSample.class);

    private final PromptValidator validator;

    public CityEventDecoder(ModelCatalog catalog) {
        this.validator = new PromptValidator(catalog, java.time.Clock.systemUTC());
    }

    /**
     * @param topic     the topic the record came from (by its standard name's suffix, so prefixed test topics work)
     * @param timestamp the record's timestamp (epoch ms): a prompt is validated as the scheduler validates it, as
     *                  of when it was produced
     * @throws InvalidRecordException for bytes that do not decode, a topic it does not read, a prompt the
     *                                scheduler refuses (it names the field)
     */
    public CityEvent decode(String topic, byte[] value, long timestamp) {
        if (value == null) {
            throw InvalidRecordException.undecodable(topic, "a null value (a tombstone)", null);
        }
        if (topic.endsWith(Topics.PROMPTS.name())) {
            // The scheduler dead-letters what PromptValidator refuses; the planner's demand and slowdowns must not
            // count it either (a size far over the model's limit would otherwise ask for capacity no prompt needs).
            return arrival(validator.validate(PROMPTS.decode(value), java.time.Instant.ofEpochMilli(timestamp)));
        } else if (topic.endsWith(Topics.NODE_RESULTS.name())) {
            AttemptResult r = RESULTS.decode(value);
            CityEvent e = CityEvent.of(CityEvent.Kind.RESULT, r.getFinishedAt().toEpochMilli());
            e.promptId = r.getPromptId();
            e.modelId = r.getModelId();
            e.nodeId = r.getNodeId();
            e.ok = r.getOutcome() == AttemptOutcome.COMPLETED;
            return e;
        } else if (topic.endsWith(Topics.PROMPT_COMPLETIONS.name())) {
            PromptCompletion c = COMPLETIONS.decode(value);
            CityEvent e = CityEvent.of(CityEvent.Kind.COMPLETION, c.getCompletedAt().toEpochMilli());
            e.promptId = c.getPromptId();
            e.modelId = c.getModelId();
            e.modelClass = c.getModelClass().name();
            e.nodeId = c.getNodeId();
            e.accessPointId = c.getAccessPointId();
            e.latencySeconds = c.getLatency().getTotalSeconds();
            e.inferenceSeconds = c.getLatency().getInferenceSeconds();
            e.sloSeconds = c.getSloSeconds();
            return e;
        } else if (topic.endsWith(Topics.PROMPT_REJECTIONS.name())) {
            PromptRejection r = REJECTIONS.decode(value);
            CityEvent e = CityEvent.of(CityEvent.Kind.REJECTION, r.getRejectedAt().toEpochMilli());
            e.promptId = r.getPromptId();
            e.modelId = r.getModelId();
            e.modelClass = r.getModelClass().name();
            e.accessPointId = r.getAccessPointId();
            e.latencySeconds = r.getSloSeconds();
            e.sloSeconds = r.getSloSeconds();
            return e;
        } else if (topic.endsWith(Topics.NODE_STATE.name())) {
            return state(STATES.decode(value));
        } else if (topic.endsWith(Topics.NETWORK_TELEMETRY.name())) {
            LinkSample l = LINKS.decode(value);
            CityEvent e = CityEvent.of(CityEvent.Kind.LINK, l.getMeasuredAt().toEpochMilli());
            e.accessPointId = l.getFromId();
            e.nodeId = l.getToId();
            e.rttMillis = l.getRttMillis();
            return e;
        }
        throw InvalidRecordException.undecodable(topic, "not a topic the planner reads", null);
    }

    private CityEvent arrival(ValidatedPrompt valid) {
        Prompt p = valid.prompt();
        ModelSpec model = valid.model();
        CityEvent e = CityEvent.of(CityEvent.Kind.ARRIVAL, p.getCreatedAt().toEpochMilli());
        e.promptId = p.getPromptId();
        e.modelId = model.id();
        e.modelClass = model.modelClass().name();
        e.accessPointId = p.getAccessPointId();
        e.sloSeconds = p.getSloSeconds();
        dev.edgeweave.core.model.PromptSize size = valid.size();
        e.inferenceSeconds = LatencyLaws.referenceInferenceSeconds(model, size);
        e.sizes = new long[] {size.inputTokens(), size.images(), size.imagePixels(), size.outputTokens(), size.steps(),
                size.outputPixels(), size.inputBytes()};
        e.audioSeconds = size.audioSeconds();
        return e;
    }

    private static CityEvent state(NodeState s) {
        CityEvent e = CityEvent.of(CityEvent.Kind.NODE_STATE, s.getHeartbeatAt().toEpochMilli());
        e.nodeId = s.getNodeId();
        e.siteId = s.getSiteId();
        e.storageBytesPerSecond = s.getStorageBytesPerSecond();
        e.draining = s.getDraining();
        long memory = 0;
        long used = 0;
        double util = 0;
        for (GpuState g : s.getGpus()) {
            e.gpuTypes.add(g.getGpuType());
            memory += g.getMemoryBytes();
            used += g.getMemoryUsedBytes();
            util += g.getUtilisation();
        }
        e.utilisation = s.getGpus().isEmpty() ? 0 : util / s.getGpus().size();
        e.memoryUtilisation = memory == 0 ? 0 : (double) used / memory;
        for (DeploymentState d : s.getDeployments()) {
            e.queued += d.getQueued();
            e.running += d.getRunning();
            if (d.getStatus() == DeploymentStatus.READY || d.getStatus() == DeploymentStatus.LOADING) {
                e.holdings.add(String.format(Locale.ROOT, "%s@%d:%d:%s", d.getModelId(), d.getGpuIndex(),
                        d.getConcurrency(), Double.toString(d.getShareWeight())));
            }
        }
        return e;
    }
}
