package dev.edgeweave.scheduler;

import dev.edgeweave.core.city.City;
import dev.edgeweave.core.latency.LatencyBreakdown;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.core.model.PromptSize;
import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.ModelClasses;
import dev.edgeweave.schemas.PromptValidator;
import dev.edgeweave.schemas.ValidatedPrompt;
import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.topic.DeadLetter;
import dev.edgeweave.v1.AttemptResult;
import dev.edgeweave.v1.InlineContent;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.PromptCompletion;
import dev.edgeweave.v1.PromptLedgerEntry;
import dev.edgeweave.v1.PromptRejection;
import dev.edgeweave.v1.ReasonCode;
import dev.edgeweave.v1.RoutedPrompt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's one stateful processor, fed by {@code prompts} and {@code node-results} (co-partitioned by
 * prompt id): it admits prompts, routes every attempt, keeps the in-flight ledger and writes every terminal
 * record (DESIGN.md, "A prompt's life" and "The invariant").
 *
 * <ul>
 *   <li><b>Admission.</b> Undecodable or invalid bytes, a key that is not the prompt id, and an id accepted
 *       within the duplicate retention go to {@code prompts-dlq} with the reason, source partition and offset
 *       (and the input's own headers, kept);
 *       everything else is accepted. An accepted prompt already past its deadline is rejected
 *       {@code DEADLINE_EXCEEDED}; otherwise its first attempt is routed.</li>
 *   <li><b>Routing.</b> {@link Dispatcher}; no candidate means {@code NO_CAPACITY}.</li>
 *   <li><b>Results.</b> {@code COMPLETED} for the current attempt → one {@code PromptCompletion} and the
 *       ledger entry removed; {@code FAILED} or {@code HANDED_BACK} → the next attempt, excluding that server;
 *       a result for an unknown prompt or a stale attempt is ignored (counted).</li>
 *   <li><b>Scan</b> (wall-clock punctuation): an attempt whose server's heartbeat went stale, or that is past
 *       its attempt deadline, is routed again. After the last attempt: {@code RETRIES_EXHAUSTED}.</li>
 * </ul>
 *
 * <p>Reads {@code prompts} and {@code node-results} as raw bytes (so a bad record is dead-lettered with its
 * bytes, not lost to a deserializer), and writes {@code node.<id>.prompts}, {@code prompt-completions},
 * {@code prompt-rejections} and {@code prompts-dlq}. Logs name prompt ids and reasons, never content.
 */
final class RouteProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RouteProcessor.class);
    private static final AvroCodec<Prompt> PROMPTS = AvroCodec.of(Prompt.class);
    private static final AvroCodec<AttemptResult> RESULTS = AvroCodec.of(AttemptResult.class);

    private final SchedulerTopology.Names names;
    private final ModelCatalog catalog;
    private final SchedulerSettings settings;
    private final CityState city;
    private final Optional<City> map;
    private final Clock clock;
    private final SchedulerCounters counters;
    private final PromptValidator validator;

    private ProcessorContext<Object, Object> context;
    private InflightLedger ledger;
    private WindowStore<String, Long> accepted;
    private Dispatcher dispatcher;

    RouteProcessor(SchedulerTopology.Names names, ModelCatalog catalog, SchedulerSettings settings, CityState city,
                   Optional<City> map, Clock clock, SchedulerCounters counters) {
        this.names = names;
        this.catalog = catalog;
        this.settings = settings;
        this.city = city;
        this.map = map;
        this.clock = clock;
        this.counters = counters;
        this.validator = new PromptValidator(catalog, clock);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.ledger = new InflightLedger(context.getStateStore(SchedulerTopology.LEDGER_STORE));
        this.accepted = context.getStateStore(SchedulerTopology.ACCEPTED_STORE);
        this.dispatcher = new Dispatcher(city, map, settings);
        context.schedule(settings.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, t -> scan());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (topic.equals(names.results())) {
            result(record);
        } else {
            admit(record);
        }
    }

    // ---- admission ---------------------------------------------------------------------------------------

    private void admit(Record<byte[], byte[]> record) {
        Prompt prompt;
        ValidatedPrompt valid;
        try {
            prompt = PROMPTS.decode(record.value());
            valid = validator.validate(prompt);
        } catch (InvalidRecordException e) {
            deadLetter(record, ReasonCode.INVALID, e.getMessage());
            return;
        }
        String id = prompt.getPromptId();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!id.equals(key)) {
            deadLetter(record, ReasonCode.INVALID, "key must be the prompt id (" + id + "), was "
                    + (key == null ? "null" : "'" + abbreviate(key) + "'"));
            return;
        }
        Instant now = clock.instant();
        if (seen(id, now)) {
            deadLetter(record, ReasonCode.DUPLICATE, "prompt id " + id + " was accepted within the last "
                    + settings.duplicateRetention());
            return;
        }
        accepted.put(id, now.toEpochMilli(), now.toEpochMilli());
        if (now.isAfter(valid.deadline())) {
            reject(prompt, valid.modelClass(), ReasonCode.DEADLINE_EXCEEDED, "arrived " + (now.toEpochMilli()
                    - valid.deadline().toEpochMilli()) + " ms after its deadline", 0, now);
            return;
        }
        dispatch(prompt, valid.model(), valid.size(), 1, List.of(), now, now);
    }

    private boolean seen(String id, Instant now) {
        // The long-millis fetch: the Instant one formats an error-message prefix on every call.
        long to = now.toEpochMilli();
        try (WindowStoreIterator<Long> it = accepted.fetch(id, to - settings.duplicateRetention().toMillis(), to)) {
            return it.hasNext();
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, ReasonCode reason, String why) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        DeadLetter letter = DeadLetter.of(record.key(), record.value(), reason.name(), why, meta.topic(),
                meta.partition(), meta.offset());
        context.forward(new Record<Object, Object>(record.key(), letter.payload(), record.timestamp(),
                deadLetterHeaders(record.headers(), letter)), SchedulerTopology.DLQ_SINK);
        counters.countDeadLetter(reason);
        LOG.warn("dead-lettered {}/{}@{}: {} {}", meta.topic(), meta.partition(), meta.offset(), reason, why);
    }

    /**
     * The input's own headers (a producer's trace or test ids, so it can find its refused record), then the dead
     * letter's; an input header with a dead-letter header's name is dropped, so the reason and source cannot be
     * forged by the producer.
     */
    static Headers deadLetterHeaders(Headers input, DeadLetter letter) {
        Headers out = new RecordHeaders();
        Headers ours = letter.headers();
        for (Header h : input) {
            if (ours.lastHeader(h.key()) == null) {
                out.add(h);
            }
        }
        for (Header h : ours) {
            out.add(h);
        }
        return out;
    }

    // ---- routing -----------------------------------------------------------------------------------------

    private void dispatch(Prompt prompt, ModelSpec model, PromptSize size, int attempt, List<String> excluded,
                          Instant acceptedAt, Instant now) {
        dev.edgeweave.v1.ModelClass modelClass = ModelClasses.toAvro(model.modelClass());
        if (attempt > settings.maxAttempts()) {
            ledger.delete(prompt.getPromptId());
            reject(prompt, modelClass, ReasonCode.RETRIES_EXHAUSTED, (attempt - 1) + " attempts failed (excluded "
                    + excluded + ")", attempt - 1, now);
            return;
        }
        // Wall-clock time of the decision alone (candidates, scores, choice), for the decision-time histogram.
        long started = System.nanoTime();
        Optional<Dispatcher.Choice> choice = dispatcher.choose(prompt.getPromptId(), model, size, prompt.getUserId(),
                prompt.getAccessPointId(), prompt.getSloSeconds(), excluded, now);
        counters.recordDecision(System.nanoTime() - started);
        if (choice.isEmpty()) {
            ledger.delete(prompt.getPromptId());
            reject(prompt, modelClass, ReasonCode.NO_CAPACITY, "no server up holds or can load " + model.id()
                    + (excluded.isEmpty() ? "" : " (excluded " + excluded + ")"), attempt - 1, now);
            return;
        }
        Dispatcher.Choice c = choice.get();
        if (attempt == 1 && !dev.edgeweave.core.routing.Admission.admits(c.predicted().totalS(),
                prompt.getSloSeconds(), settings.admissionFactor())) {
            // Admission control: under overload, refuse now rather than queue a prompt that cannot be served
            // in time; the queues stay bounded and the user learns at once.
            ledger.delete(prompt.getPromptId());
            reject(prompt, modelClass, ReasonCode.OVERLOADED, String.format(java.util.Locale.ROOT,
                    "the best server, %s, is predicted to answer in %.1f s, over %.0f x the SLO of %.1f s", c.nodeId(),
                    c.predicted().totalS(), settings.admissionFactor(), prompt.getSloSeconds()), 0, now);
            return;
        }
        double allowed = settings.attemptTimeoutFactor() * Math.max(prompt.getSloSeconds(), c.predicted().totalS());
        Instant attemptDeadline = now.plusMillis(Math.round(allowed * 1000));
        dev.edgeweave.v1.LatencyBreakdown predicted = toAvro(c.predicted());
        ledger.put(prompt.getPromptId(), PromptLedgerEntry.newBuilder().setPrompt(prompt).setModelClass(modelClass)
                .setAttempt(attempt)
                .setNodeId(c.nodeId()).setAcceptedAt(acceptedAt).setDispatchedAt(now)
                .setAttemptDeadline(attemptDeadline).setPredicted(predicted).setExcludedNodeIds(excluded).build());
        Instant deadline = prompt.getCreatedAt().plusMillis(Math.round(prompt.getSloSeconds() * 1000));
        RoutedPrompt routed = RoutedPrompt.newBuilder().setPrompt(prompt).setNodeId(c.nodeId()).setAttempt(attempt)
                .setRoutedAt(now).setDeadline(deadline).setPredicted(predicted).setExcludedNodeIds(excluded).build();
        context.forward(new Record<Object, Object>(prompt.getPromptId(), routed, now.toEpochMilli()),
                SchedulerTopology.NODE_SINK);
        counters.routed.incrementAndGet();
        if (attempt > 1) {
            counters.rerouted.incrementAndGet();
        }
    }

    private void retry(PromptLedgerEntry entry, String why, Instant now) {
        ModelSpec model = catalog.find(entry.getPrompt().getModelId()).orElse(null);
        if (model == null) {
            // The catalog lost the model since acceptance (a restart with another catalog): nothing can serve it.
            ledger.delete(entry.getPrompt().getPromptId());
            reject(entry.getPrompt(), entry.getModelClass(), ReasonCode.NO_CAPACITY, "model " + entry.getPrompt().getModelId()
                    + " is no longer in the catalog", entry.getAttempt(), now);
            return;
        }
        List<String> excluded = new ArrayList<>(entry.getExcludedNodeIds());
        if (!excluded.contains(entry.getNodeId())) {
            excluded.add(entry.getNodeId());
        }
        LOG.debug("prompt {} attempt {} at {}: {}", entry.getPrompt().getPromptId(), entry.getAttempt(),
                entry.getNodeId(), why);
        dispatch(entry.getPrompt(), model, PromptValidator.toSize(entry.getPrompt().getSizes()),
                entry.getAttempt() + 1, excluded, entry.getAcceptedAt(), now);
    }

    // ---- results -----------------------------------------------------------------------------------------

    private void result(Record<byte[], byte[]> record) {
        AttemptResult r;
        try {
            r = RESULTS.decode(record.value());
        } catch (InvalidRecordException e) {
            counters.ignoredResults.incrementAndGet();
            RecordMetadata meta = context.recordMetadata().orElseThrow();
            LOG.warn("ignored an undecodable result at {}/{}@{}: {}", meta.topic(), meta.partition(), meta.offset(),
                    e.getMessage());
            return;
        }
        PromptLedgerEntry entry = ledger.get(r.getPromptId());
        if (entry == null || entry.getAttempt() != r.getAttempt() || !entry.getNodeId().equals(r.getNodeId())) {
            // Unknown, finished, or for an attempt that is no longer current (a duplicate, or a late answer).
            counters.ignoredResults.incrementAndGet();
            LOG.debug("ignored result of prompt {} attempt {} from {}", r.getPromptId(), r.getAttempt(), r.getNodeId());
            return;
        }
        Instant now = clock.instant();
        switch (r.getOutcome()) {
            case COMPLETED -> complete(entry, r, now);
            case FAILED, HANDED_BACK -> retry(entry, r.getOutcome() + " " + r.getReason(), now);
        }
    }

    private void complete(PromptLedgerEntry entry, AttemptResult r, Instant now) {
        Prompt p = entry.getPrompt();
        dev.edgeweave.v1.LatencyBreakdown predicted = entry.getPredicted();
        dev.edgeweave.v1.LatencyBreakdown measured = r.getMeasured();
        double elapsed = (now.toEpochMilli() - p.getCreatedAt().toEpochMilli()) / 1000.0;
        double downlink = predicted.getDownlinkSeconds();
        dev.edgeweave.v1.LatencyBreakdown latency = dev.edgeweave.v1.LatencyBreakdown.newBuilder()
                .setUplinkSeconds(predicted.getUplinkSeconds()).setRttSeconds(predicted.getRttSeconds())
                .setQueueSeconds(measured == null ? 0 : measured.getQueueSeconds())
                .setLoadWaitSeconds(measured == null ? 0 : measured.getLoadWaitSeconds())
                .setInferenceSeconds(measured == null ? 0 : measured.getInferenceSeconds())
                .setDownlinkSeconds(downlink).setTotalSeconds(elapsed + downlink).build();
        // A completion without output (a runtime that returns nothing) completes with empty content.
        Object output = r.getOutput() != null ? r.getOutput()
                : InlineContent.newBuilder().setMediaType("application/octet-stream")
                        .setData(ByteBuffer.allocate(0)).build();
        PromptCompletion completion = PromptCompletion.newBuilder().setPromptId(p.getPromptId())
                .setModelId(p.getModelId())
                .setModelClass(entry.getModelClass())
                .setUserId(p.getUserId()).setAccessPointId(p.getAccessPointId()).setNodeId(r.getNodeId())
                .setAttempts(entry.getAttempt()).setSloSeconds(p.getSloSeconds()).setCreatedAt(p.getCreatedAt())
                .setCompletedAt(now).setLatency(latency)
                .setOutput(output).build();
        ledger.delete(p.getPromptId());
        context.forward(new Record<Object, Object>(p.getPromptId(), completion, now.toEpochMilli()),
                SchedulerTopology.COMPLETIONS_SINK);
        counters.completed.incrementAndGet();
    }

    private void reject(Prompt p, dev.edgeweave.v1.ModelClass modelClass, ReasonCode reason, String why, int attempts,
                        Instant now) {
        PromptRejection rejection = PromptRejection.newBuilder().setPromptId(p.getPromptId()).setModelId(p.getModelId())
                .setModelClass(modelClass)
                .setUserId(p.getUserId()).setAccessPointId(p.getAccessPointId()).setReason(reason).setReasonText(why)
                .setAttempts(attempts).setSloSeconds(p.getSloSeconds()).setCreatedAt(p.getCreatedAt())
                .setRejectedAt(now).build();
        context.forward(new Record<Object, Object>(p.getPromptId(), rejection, now.toEpochMilli()),
                SchedulerTopology.REJECTIONS_SINK);
        counters.countRejection(reason);
    }

    // ---- the scan ----------------------------------------------------------------------------------------

    private void scan() {
        Instant now = clock.instant();
        long timeout = settings.heartbeatTimeout().toMillis();
        // The ledger's index finds what reading every entry would: those at a server not up, then the overdue.
        List<KeyValue<PromptLedgerEntry, String>> due = ledger.due(now, nodeId -> {
            NodeView node = find(nodeId);
            return node != null && node.fresh(now, timeout);
        });
        for (KeyValue<PromptLedgerEntry, String> d : due) {
            retry(d.key, d.value, now);
        }
    }

    private NodeView find(String nodeId) {
        for (NodeView v : city.nodes()) {
            if (v.id.equals(nodeId)) {
                return v;
            }
        }
        return null;
    }

    private static dev.edgeweave.v1.LatencyBreakdown toAvro(LatencyBreakdown b) {
        return dev.edgeweave.v1.LatencyBreakdown.newBuilder().setUplinkSeconds(b.uplinkS()).setRttSeconds(b.rttS())
                .setQueueSeconds(b.queueS()).setLoadWaitSeconds(b.loadWaitS()).setInferenceSeconds(b.inferenceS())
                .setDownlinkSeconds(b.downlinkS()).setTotalSeconds(b.totalS()).build();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
