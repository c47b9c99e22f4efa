package io.wsp4j.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON tree that remembers where each value started, so that validation errors can name the line
 * and column. Paths look like {@code layerOver[1].protocol}; duplicate keys are syntax errors.
 */
final class LocatedJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    final JsonNode root;
    private final Map<String, JsonLocation> locations;

    private LocatedJson(JsonNode root, Map<String, JsonLocation> locations) {
        this.root = root;
        this.locations = locations;
    }

    /** Throws JsonProcessingException (with its location) for malformed JSON. */
    static LocatedJson parse(byte[] json) throws IOException {
        Map<String, JsonLocation> locs = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new JsonProcessingException("the file is empty; expected a JSON object", p.currentLocation()) {};
            JsonNode root = read(p, "", locs);
            if (p.nextToken() != null) {
                throw new JsonProcessingException("unexpected content after the manifest object", p.currentTokenLocation()) {};
            }
            return new LocatedJson(root, locs);
        }
    }

    int line(String path) {
        JsonLocation l = locations.get(path);
        return l == null ? 0 : l.getLineNr();
    }

    int column(String path) {
        JsonLocation l = locations.get(path);
        return l == null ? 0 : l.getColumnNr();
    }

    private static JsonNode read(JsonParser p, String path, Map<String, JsonLocation> locs) throws IOException {
        locs.put(path, p.currentTokenLocation());
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    locs.put(child, p.currentTokenLocation());
                    p.nextToken();
                    JsonNode value = read(p, child, locs);
                    o.set(name, value);
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p, path + "[" + i++ + "]", locs));
                }
                return a;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return f.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return f.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default -> throw new JsonProcessingException("unexpected " + t, p.currentTokenLocation()) {};
        }
    }
}
