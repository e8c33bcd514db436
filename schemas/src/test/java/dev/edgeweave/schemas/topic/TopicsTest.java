package dev.edgeweave.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.SampleRecords;
import dev.edgeweave.schemas.avro.AvroSerde;
import dev.edgeweave.v1.Prompt;
import dev.edgeweave.v1.RoutedPrompt;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @Test
    void everyTopicOfTheDesignIsDefinedOnceWithAUniqueName() {
        Set<String> names = Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet());
        assertEquals(Topics.ALL.size(), names.size(), "names are unique");
        assertEquals(Set.of("prompts", "node-results", "prompt-completions", "prompt-rejections", "prompts-dlq",
                "node-state", "network-telemetry", "window-summaries", "routing-policy", "deployment-plans",
                "deployment-commands", "agent-decisions"), names);
    }

    @Test
    void exactlyTheStateTopicsAreCompacted() {
        Set<String> compacted = Topics.ALL.stream().filter(Topic::compacted).map(Topic::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("node-state", "network-telemetry", "routing-policy", "deployment-plans"), compacted);
    }

    @Test
    void promptKeyedTopicsAreCoPartitioned() {
        Set<Integer> counts = new HashSet<>();
        for (Topic<?, ?> t : new Topic<?, ?>[] {Topics.PROMPTS, Topics.NODE_RESULTS, Topics.PROMPT_COMPLETIONS,
                Topics.PROMPT_REJECTIONS}) {
            counts.add(t.partitions());
        }
        assertEquals(Set.of(Topics.PROMPT_PARTITIONS), counts);
    }

    @Test
    void deadLettersAreRawBytesAndTheRestAvro() {
        assertInstanceOf(ByteArraySerializer.class, Topics.PROMPTS_DLQ.valueSerde().serializer());
        assertInstanceOf(ByteArraySerializer.class, Topics.PROMPTS_DLQ.keySerde().serializer());
        Topics.ALL.stream().filter(t -> t != Topics.PROMPTS_DLQ)
                .forEach(t -> assertInstanceOf(AvroSerde.class, t.valueSerde(), t.name()));
    }

    @Test
    void typedTopicsEncodeTheirValueType() {
        Prompt p = SampleRecords.prompt("p-1", "m").build();
        byte[] bytes = Topics.PROMPTS.valueSerde().serializer().serialize(Topics.PROMPTS.name(), p);
        assertEquals(p, Topics.PROMPTS.valueSerde().deserializer().deserialize(Topics.PROMPTS.name(), bytes));
    }

    @Test
    void nodeTopicsFormAFamilyThatParsesBack() {
        Topic<String, RoutedPrompt> t = Topics.nodePrompts("edge-7");
        assertEquals("node.edge-7.prompts", t.name());
        assertEquals(1, t.partitions());
        assertFalse(t.compacted());
        assertEquals(Optional.of("edge-7"), Topics.nodeIdOf(t.name()));
        assertEquals(Optional.empty(), Topics.nodeIdOf("prompts"));
        assertEquals(Optional.empty(), Topics.nodeIdOf("node..prompts"));
        assertEquals(Optional.empty(), Topics.nodeIdOf("node.a.b.prompts"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "edge 1", "edge.1", "edge/1", "é"})
    void nodeIdsThatCannotNameATopicAreRefused(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.nodePrompts(id));
        assertTrue(e.getMessage().contains("cannot name a topic"), e.getMessage());
    }

    @Test
    void newTopicCarriesPartitionsAndConfig() {
        NewTopic nt = Topics.NODE_STATE.newTopic((short) 1);
        assertEquals("node-state", nt.name());
        assertEquals(1, nt.numPartitions());
        assertEquals("compact", nt.configs().get("cleanup.policy"));
    }

    @Test
    void aTopicWithAnIllegalNameOrNoPartitionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Topic<>("bad name", Topics.PROMPTS.keySerde(),
                Topics.PROMPTS.valueSerde(), 1, java.util.Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Topic<>("ok", Topics.PROMPTS.keySerde(),
                Topics.PROMPTS.valueSerde(), 0, java.util.Map.of()));
    }
}
