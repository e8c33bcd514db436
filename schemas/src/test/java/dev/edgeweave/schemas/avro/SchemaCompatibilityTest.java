package dev.edgeweave.schemas.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.SampleRecords;
import dev.edgeweave.v1.ContentReference;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The versioning rule of DESIGN.md, "Records": within {@code dev.edgeweave.v1} a reader decodes records of
 * older writers (a field they lack takes the reader's default) and of newer writers (a field they added is
 * skipped), once the writer's schema is in its store.
 */
class SchemaCompatibilityTest {

    @Test
    void readerDecodesANewerWritersPrompt() throws IOException {
        Prompt original = SampleRecords.prompt("p-new", "llama-3.1-8b-instruct").build();
        Schema current = Prompt.getClassSchema();
        // A newer minor version: a top-level field and a field inside PromptSizes, both with defaults.
        Schema newer = withField(
                transformField(current, "sizes", sizes -> withField(sizes,
                        new Field("videoSeconds", Schema.create(Schema.Type.DOUBLE), "input video", 0.0))),
                new Field("priority", Schema.create(Schema.Type.INT), "scheduling priority", 0));
        GenericRecord written = convert(asGeneric(original), newer);
        written.put("priority", 3);
        ((GenericRecord) written.get("sizes")).put("videoSeconds", 12.5);
        byte[] bytes = AvroCodecTest.singleObject(newer, written);

        EdgeweaveSchemas store = new EdgeweaveSchemas();
        AvroCodec<Prompt> reader = AvroCodec.of(Prompt.class, store);
        assertEquals(InvalidRecordException.Problem.UNKNOWN_SCHEMA,
                assertThrows(InvalidRecordException.class, () -> reader.decode(bytes)).problem(),
                "the newer writer's schema must be in the store before its records decode");

        store.register(newer);
        assertEquals(original, reader.decode(bytes));
        assertCompatible(current, newer);
    }

    @Test
    void readerDecodesAnOlderWritersRecordsFillingDefaults() throws IOException {
        // An older NodeState without 'draining'.
        NodeState state = SampleRecords.all().stream().filter(NodeState.class::isInstance)
                .map(NodeState.class::cast).findFirst().orElseThrow();
        Schema olderState = withoutField(NodeState.getClassSchema(), "draining");
        byte[] stateBytes = AvroCodecTest.singleObject(olderState, convert(asGeneric(state), olderState));

        // An older Prompt whose ContentReference has no 'sha256'.
        Prompt byRef = SampleRecords.all().stream().filter(Prompt.class::isInstance).map(Prompt.class::cast)
                .filter(p -> p.getContent() instanceof ContentReference).findFirst().orElseThrow();
        Schema olderPrompt = transformField(Prompt.getClassSchema(), "content", union -> Schema.createUnion(
                union.getTypes().stream().map(t -> t.getName().equals("ContentReference")
                        ? withoutField(t, "sha256") : t).toList()));
        byte[] promptBytes = AvroCodecTest.singleObject(olderPrompt, convert(asGeneric(byRef), olderPrompt));

        EdgeweaveSchemas store = new EdgeweaveSchemas();
        store.register(olderState);
        store.register(olderPrompt);

        NodeState readState = AvroCodec.of(NodeState.class, store).decode(stateBytes);
        assertFalse(readState.getDraining(), "a field the writer lacks takes the reader's default");
        assertEquals(state, readState);

        Prompt readPrompt = AvroCodec.of(Prompt.class, store).decode(promptBytes);
        ContentReference ref = (ContentReference) readPrompt.getContent();
        assertNull(ref.getSha256());
        assertEquals(((ContentReference) byRef.getContent()).getUri(), ref.getUri());
        assertEquals(byRef.getSizes(), readPrompt.getSizes());

        assertCompatible(NodeState.getClassSchema(), olderState);
        assertCompatible(Prompt.getClassSchema(), olderPrompt);
    }

    @Test
    void everyFieldIsDocumentedAndEveryNamedTypeIsInTheMajorVersionNamespace() {
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Schema record : EdgeweaveSchemas.RECORDS) {
            walk(record, seen, problems);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(seen.size() >= 30, "expected every named type to be walked, saw " + seen.size());
    }

    @Test
    void theStoreRefusesSchemasOutsideTheContract() {
        EdgeweaveSchemas store = new EdgeweaveSchemas();
        Schema stranger = Schema.createRecord("Stranger", null, EdgeweaveSchemas.NAMESPACE, false, List.of());
        assertThrows(IllegalArgumentException.class, () -> store.register(stranger));
        assertThrows(IllegalArgumentException.class, () -> store.register(Schema.create(Schema.Type.STRING)));
    }

    private static void walk(Schema s, Set<String> seen, List<String> problems) {
        switch (s.getType()) {
            case RECORD, ENUM, FIXED -> {
                if (!seen.add(s.getFullName())) {
                    return;
                }
                if (!EdgeweaveSchemas.NAMESPACE.equals(s.getNamespace())) {
                    problems.add(s.getFullName() + " is outside " + EdgeweaveSchemas.NAMESPACE);
                }
                if (s.getDoc() == null || s.getDoc().isBlank()) {
                    problems.add(s.getFullName() + " has no doc");
                }
                if (s.getType() == Schema.Type.RECORD) {
                    for (Field f : s.getFields()) {
                        if (f.doc() == null || f.doc().isBlank()) {
                            problems.add(s.getFullName() + "." + f.name() + " has no doc");
                        }
                        walk(f.schema(), seen, problems);
                    }
                }
            }
            case UNION -> s.getTypes().forEach(t -> walk(t, seen, problems));
            case ARRAY -> walk(s.getElementType(), seen, problems);
            case MAP -> walk(s.getValueType(), seen, problems);
            default -> {
            }
        }
    }

    private static void assertCompatible(Schema a, Schema b) {
        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(a, b).getType(), "reader current, writer other");
        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(b, a).getType(), "reader other, writer current");
    }

    private static GenericRecord asGeneric(SpecificRecord record) throws IOException {
        Schema schema = record.getSchema();
        @SuppressWarnings({"unchecked", "rawtypes"})
        byte[] bytes = ((AvroCodec) AvroCodec.of(record.getClass())).encode(record);
        return new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));
    }

    /** {@code from}'s values laid into a record of {@code to}; fields {@code to} lacks are dropped, new ones defaulted. */
    private static GenericRecord convert(GenericRecord from, Schema to) {
        GenericData.Record out = new GenericData.Record(to);
        for (Field f : to.getFields()) {
            Field source = from.getSchema().getField(f.name());
            Object value = source == null ? GenericData.get().getDefaultValue(f) : from.get(f.name());
            out.put(f.name(), convertValue(value, f.schema()));
        }
        return out;
    }

    private static Object convertValue(Object value, Schema to) {
        if (value instanceof GenericRecord r) {
            Schema target = to.getType() == Schema.Type.UNION
                    ? to.getTypes().stream().filter(t -> t.getFullName().equals(r.getSchema().getFullName()))
                            .findFirst().orElseThrow()
                    : to;
            return convert(r, target);
        }
        return value;
    }

    private static Schema withField(Schema record, Field added) {
        List<Field> fields = copyFields(record);
        fields.add(added);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static Schema withoutField(Schema record, String name) {
        List<Field> fields = new ArrayList<>(copyFields(record));
        assertTrue(fields.removeIf(f -> f.name().equals(name)), record.getName() + " has no field " + name);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static Schema transformField(Schema record, String name, UnaryOperator<Schema> change) {
        List<Field> fields = new ArrayList<>();
        for (Field f : record.getFields()) {
            fields.add(f.name().equals(name) ? new Field(f, change.apply(f.schema())) : new Field(f, f.schema()));
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static List<Field> copyFields(Schema record) {
        List<Field> fields = new ArrayList<>();
        record.getFields().forEach(f -> fields.add(new Field(f, f.schema())));
        return fields;
    }
}
