package dev.edgeweave.testbed.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node knows its line, column and path in the file.
 *
 * <p>Why not Jackson's {@code JsonNode}: it drops locations, and a scenario error must name the line. Why not
 * data binding with {@code JsonMappingException} paths: binding stops at the first error and cannot check
 * cross-references (a server's site, a link's target) with a location. So the YAML token stream is read once
 * into this small tree, and {@link ScenarioLoader} validates it, collecting every problem with its place.
 */
final class YamlTree {

    private YamlTree() {
    }

    /** Where a node starts: 1-based line and column. */
    record Loc(int line, int column) {
        static Loc of(JsonLocation l) {
            return new Loc(Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
        }
    }

    /** A node of the tree. */
    sealed interface Node permits Obj, Arr, Scalar {
        /** Path from the root, e.g. {@code city.servers[2].site}; empty for the root. */
        String path();

        Loc loc();

        /** What kind of YAML node this is, for error messages. */
        String kind();
    }

    /** A mapping, keys in file order. */
    record Obj(String path, Loc loc, Map<String, Node> fields) implements Node {
        Node get(String name) {
            return fields.get(name);
        }

        /** The path a child named {@code name} has (whether present or not). */
        String child(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record Arr(String path, Loc loc, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar as written; {@code isNull} for {@code null}, {@code ~} or an empty value.
     *
     * @param token the token Jackson's YAML parser classified it as (string, number, boolean, null)
     */
    record Scalar(String path, Loc loc, String text, JsonToken token) implements Node {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String kind() {
            return isNull() ? "null" : "the scalar '" + text + "'";
        }
    }

    /** The tree of {@code yaml}, or a {@link ScenarioException} naming the line of a syntax error. */
    static Node parse(String yaml, String source) {
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ScenarioException(List.of(new ScenarioException.Problem(source, 1, 1, "",
                        "the scenario file is empty")));
            }
            return read(p, first, "", source, null);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            int line = l == null ? 0 : Math.max(0, l.getLineNr());
            int column = l == null ? 0 : Math.max(0, l.getColumnNr());
            throw new ScenarioException(new ScenarioException.Problem(source, line, column, "",
                    "not valid YAML: " + e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ScenarioException(new ScenarioException.Problem(source, 0, 0, "",
                    "cannot read: " + e.getMessage()), e);
        }
    }

    /**
     * The node starting at {@code token}. A mapping or list that is a field's value is located at its key
     * ({@code keyLoc}): an error about the whole of {@code servers:} points at that line, not at its first item.
     */
    private static Node read(JsonParser p, JsonToken token, String path, String source, Loc keyLoc) throws IOException {
        Loc loc = keyLoc != null && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
                ? keyLoc : Loc.of(p.currentTokenLocation());
        switch (token) {
            case START_OBJECT: {
                Map<String, Node> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    Loc at = Loc.of(p.currentTokenLocation());
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    Node value = read(p, p.nextToken(), childPath, source, at);
                    if (fields.containsKey(name)) {
                        throw new ScenarioException(List.of(new ScenarioException.Problem(source, at.line(),
                                at.column(), childPath, "duplicate key '" + name + "'")));
                    }
                    fields.put(name, value);
                }
                return new Obj(path, loc, Collections.unmodifiableMap(fields));
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("unexpected end of input in a list");
                    }
                    items.add(read(p, t, path + "[" + items.size() + "]", source, null));
                }
                return new Arr(path, loc, List.copyOf(items));
            }
            default:
                if (token == null || !token.isScalarValue()) {
                    throw new IOException("unexpected token " + token);
                }
                String text = token == JsonToken.VALUE_NULL ? null : p.getText();
                return new Scalar(path, loc, text, token);
        }
    }
}
