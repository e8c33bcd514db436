package dev.edgeweave.schemas.avro;

import dev.edgeweave.schemas.InvalidRecordException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type with Avro single-object encoding: a 2-byte marker {@code C3 01}, the
 * writer schema's 8-byte little-endian parsing fingerprint, then the Avro binary body. The fingerprint
 * finds the writer schema in an {@link EdgeweaveSchemas} store, so a reader resolves records of older and
 * newer writers of the same major version without a registry.
 *
 * <p>Every failure to decode is one {@link InvalidRecordException}, naming what is wrong (never the
 * payload): not single-object encoded, truncated, trailing bytes, unknown fingerprint (another major
 * version), or a record of another type.
 *
 * <p>Thread-safe. Encoders and decoders are reused per thread, since a codec sits on the per-record path.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> {

    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = (byte) 0x01;
    static final int HEADER_LENGTH = 10;

    private static final Map<Class<?>, AvroCodec<?>> SHARED = new ConcurrentHashMap<>();

    private final Class<T> type;
    private final Schema readerSchema;
    private final String typeName;
    private final EdgeweaveSchemas store;
    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    private AvroCodec(Class<T> type, EdgeweaveSchemas store) {
        AvroSettings.apply();
        this.type = Objects.requireNonNull(type, "type");
        this.store = Objects.requireNonNull(store, "store");
        this.readerSchema = SpecificData.get().getSchema(type);
        this.typeName = readerSchema.getFullName();
        if (store.findByFingerprint(EdgeweaveSchemas.fingerprint(readerSchema)) == null) {
            throw new IllegalArgumentException(typeName + " is not a record of the contract");
        }
        this.header = headerFor(readerSchema);
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    /** The JVM-wide codec for {@code type}, over the {@link EdgeweaveSchemas#shared() shared store}. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return (AvroCodec<T>) SHARED.computeIfAbsent(type, t -> new AvroCodec<>(type, EdgeweaveSchemas.shared()));
    }

    /** A codec over its own store, e.g. one that knows extra writer schemas. */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, EdgeweaveSchemas store) {
        return new AvroCodec<>(type, store);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return readerSchema;
    }

    /** The single-object encoding of {@code record}. */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        Buffers b = buffers.get();
        b.out.reset();
        b.out.write(header, 0, HEADER_LENGTH);
        b.encoder = EncoderFactory.get().directBinaryEncoder(b.out, b.encoder);
        try {
            writer.write(record, b.encoder);
            b.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + typeName + " into memory failed", e);
        } catch (AvroRuntimeException | NullPointerException | ClassCastException e) {
            // A generated record built without a required field, or with a value of the wrong type.
            throw new IllegalArgumentException("cannot encode " + typeName + ": " + e.getMessage(), e);
        }
        return b.out.toByteArray();
    }

    /**
     * Decodes a single-object encoded record of this type.
     *
     * @throws InvalidRecordException for bytes that are no such record
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw InvalidRecordException.undecodable(typeName, "no bytes (null value)", null);
        }
        if (bytes.length < HEADER_LENGTH || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw InvalidRecordException.undecodable(typeName,
                    "not Avro single-object encoding (" + bytes.length + " bytes, no C3 01 header)", null);
        }
        long fingerprint = readFingerprint(bytes);
        SpecificDatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            reader = readerFor(fingerprint);
        }
        Buffers b = buffers.get();
        b.decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, b.decoder);
        T record;
        try {
            record = reader.read(null, b.decoder);
            if (!b.decoder.isEnd()) {
                throw InvalidRecordException.undecodable(typeName, "trailing bytes after the record", null);
            }
        } catch (InvalidRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Truncated bodies (EOFException), bad lengths or unions (AvroRuntimeException, index errors),
            // lengths over the limits (SystemLimitException): all mean the bytes are not such a record.
            throw InvalidRecordException.undecodable(typeName,
                    "corrupt body (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        return record;
    }

    private SpecificDatumReader<T> readerFor(long fingerprint) {
        Schema writerSchema = store.findByFingerprint(fingerprint);
        if (writerSchema == null) {
            throw InvalidRecordException.unknownSchema(typeName, String.format(
                    "writer schema fingerprint %016x is unknown to this reader (another major version than %s, "
                            + "or a schema not registered)", fingerprint, EdgeweaveSchemas.NAMESPACE));
        }
        if (!writerSchema.getFullName().equals(typeName)) {
            throw InvalidRecordException.wrongType(typeName, writerSchema.getFullName());
        }
        return readers.computeIfAbsent(fingerprint, f -> new SpecificDatumReader<>(writerSchema, readerSchema));
    }

    static byte[] headerFor(Schema schema) {
        long fp = EdgeweaveSchemas.fingerprint(schema);
        byte[] h = new byte[HEADER_LENGTH];
        h[0] = MARKER_0;
        h[1] = MARKER_1;
        for (int i = 0; i < 8; i++) {
            h[2 + i] = (byte) (fp >>> (8 * i));
        }
        return h;
    }

    private static long readFingerprint(byte[] bytes) {
        long fp = 0;
        for (int i = 0; i < 8; i++) {
            fp |= (bytes[2 + i] & 0xFFL) << (8 * i);
        }
        return fp;
    }

    /** Per-thread buffers: the encoder and decoder Avro allows to be reused. */
    private static final class Buffers {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder encoder;
        BinaryDecoder decoder;
    }
}
