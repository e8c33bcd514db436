package dev.edgeweave.testbed.scenario;

/**
 * Bytes a prompt sends on the uplink, per unit of its sizes: {@code inputBytes = tokens × textBytesPerToken +
 * images × pixels × imageBytesPerPixel + audioSeconds × audioBytesPerSecond}.
 *
 * @param textBytesPerToken    UTF-8 bytes per text token
 * @param imageBytesPerPixel   bytes per uploaded image pixel (compressed)
 * @param audioBytesPerSecond  bytes per second of uploaded audio
 */
public record Payload(double textBytesPerToken, double imageBytesPerPixel, double audioBytesPerSecond) {

    /**
     * Defaults: 4 B/token, like {@code LatencyLaws.TEXT_BYTES_PER_TOKEN} [E]; 0.3 B/pixel, a JPEG photo at
     * quality ~85 (~2.4 bit/pixel) [E]; 32,000 B/s, 16 kHz 16-bit mono PCM, Whisper's native input [E].
     */
    public static final Payload DEFAULT = new Payload(4.0, 0.3, 32_000.0);

    public Payload {
        if (!(textBytesPerToken >= 0) || !(imageBytesPerPixel >= 0) || !(audioBytesPerSecond >= 0)
                || Double.isInfinite(textBytesPerToken + imageBytesPerPixel + audioBytesPerSecond)) {
            throw new IllegalArgumentException("payload bytes must be finite and >= 0");
        }
    }
}
