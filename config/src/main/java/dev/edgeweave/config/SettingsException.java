package dev.edgeweave.config;

/**
 * A setting is missing, malformed, out of range, or breaks the secrets rule; or the properties file cannot be
 * read. Unchecked: a component cannot recover from bad configuration, it should stop at start-up with this
 * message, which names the key, the value (masked for a secret) and where the value came from.
 */
public class SettingsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
