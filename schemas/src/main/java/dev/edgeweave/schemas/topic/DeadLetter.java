package dev.edgeweave.schemas.topic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record refused before acceptance, as it goes to {@link Topics#PROMPTS_DLQ}: the raw key, the first
 * {@value #MAX_PAYLOAD_BYTES} bytes of the raw value, and headers saying why and where it came from. The
 * payload's full size and SHA-256 let an operator match it to the producer's copy without the dead-letter
 * topic holding more than 64 KiB of anyone's content.
 *
 * @param key             the raw key, possibly {@code null}
 * @param payload         the first 64 KiB of the raw value; empty for a {@code null} value
 * @param reasonCode      the reason code: {@code INVALID} or {@code DUPLICATE}
 * @param reason          operator-readable reason, naming the field; never content
 * @param sourceTopic     where the record was read
 * @param sourcePartition its partition there
 * @param sourceOffset    its offset there
 * @param payloadSize     the raw value's full size in bytes; -1 for a {@code null} value
 * @param payloadSha256   hex SHA-256 of the full raw value; empty for a {@code null} value
 */
public record DeadLetter(byte[] key, byte[] payload, String reasonCode, String reason, String sourceTopic,
                         int sourcePartition, long sourceOffset, long payloadSize, String payloadSha256) {

    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public static final String H_REASON_CODE = "edgeweave.reason.code";
    public static final String H_REASON = "edgeweave.reason";
    public static final String H_SOURCE_TOPIC = "edgeweave.source.topic";
    public static final String H_SOURCE_PARTITION = "edgeweave.source.partition";
    public static final String H_SOURCE_OFFSET = "edgeweave.source.offset";
    public static final String H_PAYLOAD_SIZE = "edgeweave.payload.size";
    public static final String H_PAYLOAD_SHA256 = "edgeweave.payload.sha256";

    public DeadLetter {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(payloadSha256, "payloadSha256");
    }

    /** The dead letter of a raw record read at {@code sourceTopic}/{@code partition}/{@code offset}. */
    public static DeadLetter of(byte[] key, byte[] value, String reasonCode, String reason,
                                String sourceTopic, int partition, long offset) {
        byte[] payload = value == null ? new byte[0]
                : value.length <= MAX_PAYLOAD_BYTES ? value : Arrays.copyOf(value, MAX_PAYLOAD_BYTES);
        return new DeadLetter(key, payload, reasonCode, reason, sourceTopic, partition, offset,
                value == null ? -1 : value.length, value == null ? "" : sha256(value));
    }

    /** The headers that go with the dead letter on {@link Topics#PROMPTS_DLQ}. */
    public Headers headers() {
        RecordHeaders h = new RecordHeaders();
        h.add(H_REASON_CODE, utf8(reasonCode));
        h.add(H_REASON, utf8(reason));
        h.add(H_SOURCE_TOPIC, utf8(sourceTopic));
        h.add(H_SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
        h.add(H_SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        h.add(H_PAYLOAD_SIZE, utf8(Long.toString(payloadSize)));
        h.add(H_PAYLOAD_SHA256, utf8(payloadSha256));
        return h;
    }

    /**
     * Reads a dead letter back from a record of {@link Topics#PROMPTS_DLQ}.
     *
     * @throws IllegalArgumentException if a header is missing or malformed
     */
    public static DeadLetter read(byte[] key, byte[] value, Headers headers) {
        try {
            return new DeadLetter(key, value == null ? new byte[0] : value,
                    header(headers, H_REASON_CODE), header(headers, H_REASON), header(headers, H_SOURCE_TOPIC),
                    Integer.parseInt(header(headers, H_SOURCE_PARTITION)),
                    Long.parseLong(header(headers, H_SOURCE_OFFSET)),
                    Long.parseLong(header(headers, H_PAYLOAD_SIZE)), header(headers, H_PAYLOAD_SHA256));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed dead-letter header: " + e.getMessage(), e);
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            throw new IllegalArgumentException("dead letter has no header " + name);
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && Arrays.equals(key, d.key) && Arrays.equals(payload, d.payload)
                && reasonCode.equals(d.reasonCode) && reason.equals(d.reason) && sourceTopic.equals(d.sourceTopic)
                && sourcePartition == d.sourcePartition && sourceOffset == d.sourceOffset
                && payloadSize == d.payloadSize && payloadSha256.equals(d.payloadSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(payload), reasonCode, reason, sourceTopic,
                sourcePartition, sourceOffset, payloadSize, payloadSha256);
    }

    @Override
    public String toString() {
        // Never the payload: it is somebody's content.
        return "DeadLetter[" + reasonCode + " " + sourceTopic + "/" + sourcePartition + "@" + sourceOffset
                + ", " + payloadSize + " bytes, reason=" + reason + "]";
    }
}
