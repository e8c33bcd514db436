package dev.edgeweave.testing.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The handle's pure parts: names and client settings. No broker is contacted. */
class KafkaBrokerTest {

    private final KafkaBroker broker = new KafkaBroker("localhost:1", true);

    @Test
    void uniqueNameIsFreshAndAValidTopicName() {
        String a = broker.uniqueName("orders");
        String b = broker.uniqueName("orders");
        assertNotEquals(a, b);
        assertTrue(a.matches("orders-[0-9a-f]{12}"), a);
    }

    @Test
    void producerPropsUseByteArraysAndTheBootstrapAddress() {
        Properties props = broker.producerProps();
        assertEquals("localhost:1", props.get("bootstrap.servers"));
        assertEquals(ByteArraySerializer.class.getName(), props.get("key.serializer"));
        assertEquals(ByteArraySerializer.class.getName(), props.get("value.serializer"));
        assertEquals("all", props.get("acks"));
    }

    @Test
    void consumerPropsReadFromTheEarliestOffset() {
        Properties props = broker.consumerProps("g1");
        assertEquals("g1", props.get("group.id"));
        assertEquals("earliest", props.get("auto.offset.reset"));
        assertEquals(ByteArrayDeserializer.class.getName(), props.get("value.deserializer"));
    }

    @Test
    void eachCallReturnsAnIndependentCopy() {
        Properties first = broker.producerProps();
        first.put("acks", "1");
        Properties second = broker.producerProps();
        assertNotSame(first, second);
        assertEquals("all", second.get("acks"));
        assertFalse(broker.adminProps().containsKey("acks"));
    }

    @Test
    void rejectsATopicWithoutPartitions() {
        assertThrows(IllegalArgumentException.class, () -> broker.createTopic("t", 0));
    }
}
