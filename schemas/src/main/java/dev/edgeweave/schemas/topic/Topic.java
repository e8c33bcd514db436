package dev.edgeweave.schemas.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the contract as one immutable value: its name, key and value serdes, partitions and
 * configuration. Code, tests and {@code infra/} take topics from {@link Topics} rather than spelling names.
 *
 * @param name       the topic name
 * @param keySerde   serde of the record key
 * @param valueSerde serde of the record value
 * @param partitions partition count it is created with
 * @param configs    topic configuration ({@code cleanup.policy} among them)
 * @param <K>        key type
 * @param <V>        value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          Map<String, String> configs) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (!TopicNames.isLegal(name)) {
            throw new IllegalArgumentException("illegal topic name '" + name + "': " + TopicNames.RULE);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** True for a compacted topic: the latest value per key is its state. */
    public boolean compacted() {
        return Optional.ofNullable(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG))
                .map(p -> p.contains(TopicConfig.CLEANUP_POLICY_COMPACT))
                .orElse(false);
    }

    /** The admin request that creates it with the given replication factor. */
    public NewTopic newTopic(short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
