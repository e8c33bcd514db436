package dev.edgeweave.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void keepsTheFirst64KiBAndTheFullSizeAndDigest() {
        byte[] value = new byte[100_000];
        Arrays.fill(value, (byte) 'x');
        DeadLetter d = DeadLetter.of("k".getBytes(StandardCharsets.UTF_8), value, "INVALID",
                "content.data: over the inline limit", "prompts", 2, 1234);
        assertEquals(65_536, d.payload().length);
        assertEquals(100_000, d.payloadSize());
        assertEquals(DeadLetter.sha256(value), d.payloadSha256());
        assertEquals(64, d.payloadSha256().length());
    }

    @Test
    void knownDigest() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                DeadLetter.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void headersRoundTrip() {
        DeadLetter d = DeadLetter.of(null, "abc".getBytes(StandardCharsets.UTF_8), "DUPLICATE",
                "prompt id p-1 already accepted", "prompts", 3, 77);
        DeadLetter back = DeadLetter.read(null, d.payload(), d.headers());
        assertEquals(d, back);
        assertEquals("3", new String(d.headers().lastHeader(DeadLetter.H_SOURCE_PARTITION).value(),
                StandardCharsets.UTF_8));
        assertEquals("77", new String(d.headers().lastHeader(DeadLetter.H_SOURCE_OFFSET).value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void aNullValueIsRecordedAsSuch() {
        DeadLetter d = DeadLetter.of(null, null, "INVALID", "no value", "prompts", 0, 5);
        assertEquals(-1, d.payloadSize());
        assertArrayEquals(new byte[0], d.payload());
        assertEquals("", d.payloadSha256());
    }

    @Test
    void toStringNeverShowsThePayload() {
        DeadLetter d = DeadLetter.of(null, "secret words".getBytes(StandardCharsets.UTF_8), "INVALID",
                "sloSeconds: must be > 0", "prompts", 0, 9);
        assertFalse(d.toString().contains("secret"), d.toString());
        assertTrue(d.toString().contains("prompts/0@9"), d.toString());
    }

    @Test
    void aMissingHeaderIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeadLetter.read(null, new byte[0], new RecordHeaders()));
        assertTrue(e.getMessage().contains(DeadLetter.H_REASON_CODE), e.getMessage());
    }
}
