package dev.edgeweave.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.testing.kafka.KafkaBroker;
import dev.edgeweave.testing.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TopicAdminIT {

    @Test
    void ensureCreatesOnceAndThenLeavesTopicsAlone(KafkaBroker broker) {
        String nodeId = broker.uniqueName("edge").replace('.', '-');
        List<Topic<?, ?>> topics = List.of(Topics.nodePrompts(nodeId), Topics.nodePrompts(nodeId + "-b"));
        try (Admin admin = Admin.create(broker.adminProps())) {
            TopicAdmin topicAdmin = new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30));
            assertEquals(topics.stream().map(Topic::name).toList(), topicAdmin.ensure(topics));
            assertEquals(List.of(), topicAdmin.ensure(topics), "a second call creates nothing");
        }
    }

    @Test
    void aTopicWithAnotherPartitionCountIsAnError(KafkaBroker broker) {
        String name = broker.createTopic(broker.uniqueName("mismatch"), 2);
        Topic<String, String> defined = new Topic<>(name, Serdes.String(), Serdes.String(), 3, Map.of());
        try (Admin admin = Admin.create(broker.adminProps())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new TopicAdmin(admin, (short) 1, Duration.ofSeconds(30)).ensure(List.of(defined)));
            assertTrue(e.getMessage().contains("exists with 2 partitions but is defined with 3"), e.getMessage());
        }
    }
}
