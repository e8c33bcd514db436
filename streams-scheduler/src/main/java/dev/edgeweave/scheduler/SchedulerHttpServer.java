package dev.edgeweave.scheduler;

import dev.edgeweave.config.StatusServer;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The scheduler's {@code /metrics} and {@code /health} ({@link StatusServer}): healthy while Kafka Streams is
 * {@code RUNNING} or {@code REBALANCING} (a rebalance is the normal way instances share work, not a fault),
 * with the state as the body.
 */
final class SchedulerHttpServer {

    private SchedulerHttpServer() {
    }

    /**
     * @param port    the port; 0 picks a free one
     * @param metrics the metrics text, produced per scrape
     * @param state   the Kafka Streams state, read per probe
     * @throws IOException when the port cannot be bound
     */
    static StatusServer start(int port, Supplier<String> metrics, Supplier<KafkaStreams.State> state)
            throws IOException {
        Objects.requireNonNull(state, "state");
        return StatusServer.start(port, "scheduler-http", metrics, () -> {
            KafkaStreams.State s = state.get();
            return new StatusServer.Health(s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING,
                    s.toString());
        });
    }
}
