package dev.edgeweave.core.city;

/**
 * A directed link from an access point or server to a server: the key of {@code network-telemetry}, written
 * {@code from/to}.
 *
 * @param from access point or server id
 * @param to   server id
 */
public record Link(String from, String to) {

    public Link {
        City.requireId(from, "link source");
        City.requireId(to, "link target");
    }

    /** The topic key, {@code from/to}. */
    public String key() {
        return from + '/' + to;
    }

    /** The link a {@code from/to} key names; an exception naming the key when it has no single '/'. */
    public static Link parse(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("link key must be 'from/to', was '" + key + "'");
        }
        return new Link(key.substring(0, slash), key.substring(slash + 1));
    }

    @Override
    public String toString() {
        return key();
    }
}
