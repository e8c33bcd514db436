package dev.edgeweave.scheduler;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when Kafka Streams cannot write one of the scheduler's outputs: it <b>fails loudly</b>. A
 * retriable error (a leader moving, a node's topic not there yet) is retried, as Kafka's default handler
 * does; anything else stops the stream thread with one ERROR line naming the target topic and the input
 * record it came from (topic, partition, offset, never its content), and the app exits non-zero.
 *
 * <p>Why not skip the record: every output is part of the invariant. A {@code RoutedPrompt} or a terminal
 * record dropped while the ledger moved on would leave a prompt without exactly one terminal record. Under
 * exactly-once the failed transaction aborts, so a restart processes the input again from the last commit.
 */
public final class ProductionFailureHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProductionFailureHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            LOG.warn("retrying a write to {} (from {}): {}", record.topic(), origin(context), exception.toString());
            return Response.retry();
        }
        LOG.error("cannot write to {} (from {}, processor {}): {}; stopping, so no prompt loses its record",
                record.topic(), origin(context), context.processorNodeId(), exception.toString());
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        LOG.error("cannot serialize the {} of a record for {} (from {}, processor {}): {}; stopping",
                origin.name().toLowerCase(java.util.Locale.ROOT), record.topic(), origin(context),
                context.processorNodeId(), exception.toString());
        return Response.fail();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }

    private static String origin(ErrorHandlerContext context) {
        if (context.topic() == null) {
            return "a punctuation of task " + context.taskId(); // the ledger scan writes without an input record
        }
        return context.topic() + "/" + context.partition() + "@" + context.offset() + ", task " + context.taskId();
    }
}
