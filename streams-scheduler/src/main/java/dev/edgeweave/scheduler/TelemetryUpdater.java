package dev.edgeweave.scheduler;

import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.avro.AvroCodec;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-store processor of one compacted telemetry topic ({@code node-state}, {@code network-telemetry},
 * {@code routing-policy}): decodes each record once, hands it to the {@link CityState}, and keeps the raw
 * bytes in the global store. A record that does not decode or that the city refuses (an unknown server, a
 * garbage policy) is logged with its reason, counted, and ignored: the previous state stays, and routing goes on.
 *
 * @param <T> the record type
 */
final class TelemetryUpdater<T extends SpecificRecord> implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryUpdater.class);

    private final String storeName;
    private final AvroCodec<T> codec;
    private final BiConsumer<String, T> apply;
    private final SchedulerCounters counters;
    private KeyValueStore<String, byte[]> store;

    TelemetryUpdater(String storeName, Class<T> type, BiConsumer<String, T> apply, SchedulerCounters counters) {
        this.storeName = storeName;
        this.codec = AvroCodec.of(type);
        this.apply = apply;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        try {
            T value = record.value() == null ? null : codec.decode(record.value());
            apply.accept(key, value);
            if (record.value() == null) {
                store.delete(key);
            } else {
                store.put(key, record.value());
            }
        } catch (InvalidRecordException | IllegalArgumentException e) {
            counters.badTelemetry.incrementAndGet();
            LOG.warn("ignored a {} record keyed '{}': {}", storeName, key, e.getMessage());
        }
    }
}
