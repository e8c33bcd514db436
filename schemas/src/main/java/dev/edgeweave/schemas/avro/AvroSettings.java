package dev.edgeweave.schemas.avro;

import org.apache.avro.SystemLimitException;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The JVM-wide Avro settings edgeweave needs, applied in this one place before any record is decoded.
 *
 * <ul>
 *   <li><b>Trusted packages.</b> Avro 1.12.2 refuses to instantiate generated classes it does not trust
 *       ({@code SecurityException: Forbidden ...}). The generated classes live in {@link #RECORD_PACKAGE}; that
 *       package, and only that one, is added to the global validator, keeping Avro's own defaults.</li>
 *   <li><b>Decoding limits.</b> A corrupt or hostile length prefix would otherwise make Avro allocate up to
 *       2 GiB for one string or byte array. No edgeweave record holds more than a 256 KiB inline payload, so
 *       strings and byte fields are capped at 16 MiB and arrays at 100 000 items, unless the operator set
 *       the Avro system properties already. Avro reads them once, when its limit class loads, which is why
 *       they are set here, before the first decode.</li>
 * </ul>
 */
public final class AvroSettings {

    /** The Java package of every generated record class; the Avro namespace carries the major version. */
    public static final String RECORD_PACKAGE = "dev.edgeweave.v1";

    static final long MAX_BYTES = 16L * 1024 * 1024;
    static final long MAX_ITEMS = 100_000;

    private static volatile boolean applied;

    private AvroSettings() {
    }

    /** Applies the settings once per JVM; cheap to call again. */
    public static void apply() {
        if (applied) {
            return;
        }
        synchronized (AvroSettings.class) {
            if (applied) {
                return;
            }
            setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES);
            setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_BYTES);
            setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
            ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                    type -> RECORD_PACKAGE.equals(type.getPackageName())));
            applied = true;
        }
    }

    private static void setIfAbsent(String property, long value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(value));
        }
    }
}
