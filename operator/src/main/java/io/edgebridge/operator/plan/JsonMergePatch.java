package io.edgebridge.operator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON merge patch over Jackson trees. Neither Jackson nor Fabric8 offers it for trees
 * (Fabric8's zjsonpatch is RFC 6902); the algorithm is the RFC's own, section 2.
 */
public final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /** Returns the patched document; {@code target} is not changed. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? target : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    /**
     * The merge patch that turns {@code source} into {@code target}: changed and new fields, and
     * null for removed ones. Arrays are replaced whole, as merge patches do.
     */
    public static JsonNode diff(JsonNode source, JsonNode target) {
        if (source == null || !source.isObject() || target == null || !target.isObject()) {
            return target == null ? JsonNodeFactory.instance.nullNode() : target.deepCopy();
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        source.fieldNames().forEachRemaining(name -> {
            if (!target.has(name) || target.get(name).isNull()) {
                if (!source.get(name).isNull()) {
                    patch.putNull(name);
                }
            }
        });
        target.fields().forEachRemaining(field -> {
            var before = source.get(field.getKey());
            var after = field.getValue();
            if (after.isNull() || after.equals(before)) {
                return;
            }
            if (before != null && before.isObject() && after.isObject()) {
                patch.set(field.getKey(), diff(before, after));
            } else {
                patch.set(field.getKey(), after.deepCopy());
            }
        });
        return patch;
    }
}
