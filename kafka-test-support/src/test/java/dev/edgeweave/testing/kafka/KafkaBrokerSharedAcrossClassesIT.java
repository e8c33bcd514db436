package dev.edgeweave.testing.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * A second class, through the annotation: it must get the broker {@link KafkaBrokerExtensionIT} got, not a
 * second one. Whichever class runs first starts it; the count proves the root store shares it.
 */
@WithKafkaBroker
class KafkaBrokerSharedAcrossClassesIT {

    @Test
    void reusesTheBrokerOfTheWholeRun(KafkaBroker broker) {
        assertFalse(broker.bootstrapServers().isBlank());
        assertEquals(broker.isEmbedded() ? 1 : 0, KafkaBrokerExtension.embeddedStarts(),
                "in-JVM broker starts in this JVM");
    }
}
