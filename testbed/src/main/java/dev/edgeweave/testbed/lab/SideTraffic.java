package dev.edgeweave.testbed.lab;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Records a lab sends beside its replayed workload, on the replay's own producer (so a record sent after one of
 * the workload's prompts with the same key lands after it): {@code ./edgeweave fuzz}'s bad inputs. The lab's own
 * figures leave them out; its invariants check them with everything else on {@code prompts}.
 */
public interface SideTraffic {

    /**
     * Once the pipeline is warm, before the replay's first prompt.
     *
     * @param bootstrap the lab's broker
     * @param idPrefix  the run's prompt-id prefix: the replay's prompts are {@code idPrefix + index}
     * @param span      city seconds the replay spans
     * @param clock     the city clock, which stamps the records
     */
    void start(String bootstrap, String idPrefix, double span, java.time.Clock clock) throws Exception;

    /**
     * Through the replay, after each round of its prompts: sends what is due.
     *
     * @param citySeconds city seconds since the replay's start; infinite once the replay has sent its last prompt
     * @param produced    the replay's prompts sent so far (indexes 0 to {@code produced - 1})
     */
    void send(KafkaProducer<byte[], byte[]> producer, double citySeconds, int produced);

    /** Whether a record read back from the terminal or dead-letter topics is this traffic's, not the replay's. */
    boolean owns(ConsumerRecord<String, byte[]> r);

    /** After the replay has drained, while the broker still runs: e.g. matching each record to its end. */
    void finish() throws Exception;
}
