package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON with object keys sorted and no whitespace, so that equal content gives equal bytes (and
 * hashes) on every replica, after restarts, and whatever order a user wrote fields in.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CanonicalJson() {
    }

    public static JsonNode tree(Object value) {
        return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
    }

    public static byte[] bytes(Object value) {
        var out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            if (!writeStringMap(generator, value)) {
                write(generator, tree(value));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first {@code hexDigits} hex digits of the SHA-256 of the canonical bytes. */
    public static String hash(Object value, int hexDigits) {
        return hashOfBytes(bytes(value), hexDigits);
    }

    /** The same for canonical bytes already made by {@link #bytes(Object)}. */
    public static String hashOfBytes(byte[] canonical, int hexDigits) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A map of strings written straight, sorted, without building a tree first: the same bytes, at a
     * fraction of the cost. The hub hashes one (a cluster's state summary) for every sync it plans.
     */
    private static boolean writeStringMap(JsonGenerator generator, Object value) throws IOException {
        if (!(value instanceof Map<?, ?> map)) {
            return false;
        }
        for (var entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String) || !(entry.getValue() instanceof String)) {
                return false;
            }
        }
        Map<?, ?> sorted = map instanceof TreeMap<?, ?> tree && tree.comparator() == null ? map : new TreeMap<>(map);
        generator.writeStartObject();
        for (var entry : sorted.entrySet()) {
            generator.writeStringField((String) entry.getKey(), (String) entry.getValue());
        }
        generator.writeEndObject();
        return true;
    }

    private static void write(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            var sorted = new TreeMap<String, JsonNode>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                sorted.put(field.getKey(), field.getValue());
            }
            generator.writeStartObject();
            for (var field : sorted.entrySet()) {
                generator.writeFieldName(field.getKey());
                write(generator, field.getValue());
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (var element : node) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }
}
