package dev.edgeweave.testbed.bench;

import dev.edgeweave.schemas.avro.AvroCodec;
import dev.edgeweave.schemas.avro.AvroSerde;
import dev.edgeweave.v1.Prompt;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The benchmark's baseline: the least a Streams app must do with a prompt. It reads {@code prompts} as raw
 * bytes (as the scheduler does), decodes each {@code Prompt}, and writes it re-encoded, keyed by prompt id, to
 * one output topic. No state, no routing: what is left of the scheduler's throughput beside this is the cost
 * of admission, routing and the in-flight ledger.
 *
 * <p>Reads {@code input} (raw key, single-object encoded {@code Prompt}); writes {@code output} (String prompt
 * id, {@code Prompt}).
 */
public final class PassThroughTopology {

    static final String SOURCE = "prompts-source";
    static final String DECODE = "decode";
    static final String SINK = "pass-through-sink";

    private PassThroughTopology() {
    }

    /**
     * @param decoded counts the prompts decoded (read by the benchmark to see a run start and progress)
     */
    public static Topology build(String input, String output, AtomicLong decoded) {
        Topology t = new Topology();
        t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        t.addProcessor(DECODE, () -> new Decode(decoded), SOURCE);
        t.addSink(SINK, output, new StringSerializer(), AvroSerde.of(Prompt.class), DECODE);
        return t;
    }

    private static final class Decode implements Processor<byte[], byte[], String, Prompt> {
        private static final AvroCodec<Prompt> PROMPTS = AvroCodec.of(Prompt.class);
        private final AtomicLong decoded;
        private ProcessorContext<String, Prompt> context;

        Decode(AtomicLong decoded) {
            this.decoded = decoded;
        }

        @Override
        public void init(ProcessorContext<String, Prompt> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Prompt prompt = PROMPTS.decode(record.value());
            String key = record.key() == null ? prompt.getPromptId() : new String(record.key(), StandardCharsets.UTF_8);
            context.forward(record.withKey(key).withValue(prompt));
            decoded.incrementAndGet();
        }
    }
}
