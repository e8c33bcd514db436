package dev.edgeweave.schemas.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeweave.schemas.InvalidRecordException;
import dev.edgeweave.schemas.InvalidRecordException.Problem;
import dev.edgeweave.schemas.SampleRecords;
import dev.edgeweave.v1.NodeState;
import dev.edgeweave.v1.Prompt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

    private final AvroCodec<Prompt> prompts = AvroCodec.of(Prompt.class);

    static Stream<SpecificRecord> everyRecord() {
        return SampleRecords.all().stream();
    }

    @ParameterizedTest
    @MethodSource("everyRecord")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordRoundTrips(SpecificRecord record) {
        AvroCodec codec = AvroCodec.of(record.getClass());
        byte[] bytes = codec.encode(record);
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        assertEquals(record, codec.decode(bytes));
    }

    @Test
    void headerCarriesTheSchemaFingerprintLittleEndian() {
        byte[] bytes = prompts.encode(SampleRecords.prompt("p", "m").build());
        long fp = EdgeweaveSchemas.fingerprint(Prompt.getClassSchema());
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (fp >>> (8 * i)), bytes[2 + i], "fingerprint byte " + i);
        }
    }

    @Test
    void undecodableBytesRaiseOneTypedError() {
        byte[] good = prompts.encode(SampleRecords.prompt("p", "m").build());
        byte[] random = new byte[200];
        new Random(7).nextBytes(random);
        byte[] badMarker = good.clone();
        badMarker[1] = 0x02;
        byte[] trailing = Arrays.copyOf(good, good.length + 3);

        for (byte[] bytes : new byte[][] {null, new byte[0], {(byte) 0xC3, 0x01, 0, 0}, random, badMarker,
                Arrays.copyOf(good, good.length - 5), trailing}) {
            InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> prompts.decode(bytes));
            assertEquals(Problem.UNDECODABLE, e.problem(), e.getMessage());
            assertTrue(e.getMessage().contains("dev.edgeweave.v1.Prompt"), e.getMessage());
        }
    }

    @Test
    void aRecordOfAnotherTypeIsNamedAsSuch() {
        NodeState state = (NodeState) SampleRecords.all().stream().filter(NodeState.class::isInstance)
                .findFirst().orElseThrow();
        byte[] bytes = AvroCodec.of(NodeState.class).encode(state);
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> prompts.decode(bytes));
        assertEquals(Problem.WRONG_TYPE, e.problem());
        assertEquals("wrong record type: expected dev.edgeweave.v1.Prompt, got dev.edgeweave.v1.NodeState",
                e.getMessage());
    }

    @Test
    void aRecordOfAnotherMajorVersionIsRefused() throws IOException {
        Schema v2 = new Schema.Parser().parse(
                Prompt.getClassSchema().toString().replace("dev.edgeweave.v1", "dev.edgeweave.v2"));
        byte[] bytes = singleObject(v2, genericCopy(v2, SampleRecords.prompt("p", "m").build()));

        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> prompts.decode(bytes));
        assertEquals(Problem.UNKNOWN_SCHEMA, e.problem());
        assertTrue(e.getMessage().contains("another major version"), e.getMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new EdgeweaveSchemas().register(v2));
        assertTrue(refused.getMessage().contains("not of major version dev.edgeweave.v1"), refused.getMessage());
    }

    @Test
    void aHugeLengthPrefixFailsCleanlyWithoutAllocatingIt() {
        // Header of a Prompt, then a promptId string length of ~1 GiB as a zig-zag varint.
        byte[] header = AvroCodec.headerFor(Prompt.getClassSchema());
        byte[] bytes = Arrays.copyOf(header, header.length + 5);
        long zigzag = (1L << 30) << 1;
        for (int i = 0; i < 5; i++) {
            long b = (zigzag >>> (7 * i)) & 0x7F;
            bytes[header.length + i] = (byte) (i < 4 ? b | 0x80 : b);
        }
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> prompts.decode(bytes));
        assertEquals(Problem.UNDECODABLE, e.problem());
    }

    @Test
    void serdePassesTombstonesThrough() {
        AvroSerde<Prompt> serde = AvroSerde.of(Prompt.class);
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
        Prompt p = SampleRecords.prompt("p", "m").build();
        assertEquals(p, serde.deserialize("t", serde.serialize("t", p)));
    }

    @Test
    void encodingARecordWithAMissingRequiredFieldNamesTheType() {
        Prompt incomplete = new Prompt();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prompts.encode(incomplete));
        assertTrue(e.getMessage().startsWith("cannot encode dev.edgeweave.v1.Prompt"), e.getMessage());
    }

    @Test
    void encodingIsDeterministic() {
        Prompt p = SampleRecords.prompt("p", "m").build();
        assertArrayEquals(prompts.encode(p), prompts.encode(p));
    }

    /** A record of {@code schema} with the same field values as {@code from} (same field names). */
    static GenericRecord genericCopy(Schema schema, SpecificRecord from) throws IOException {
        byte[] body = AvroCodec.of(Prompt.class).encode((Prompt) from);
        // Same field layout in both schemas: the body decodes as the other schema unchanged.
        org.apache.avro.io.BinaryDecoder d = org.apache.avro.io.DecoderFactory.get()
                .binaryDecoder(body, 10, body.length - 10, null);
        return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(schema).read(null, d);
    }

    /** Single-object encoding of a generic record, as a writer with that schema would produce it. */
    static byte[] singleObject(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AvroCodec.headerFor(schema));
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }
}
