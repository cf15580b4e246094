package io.edgebridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether one JSON tree is contained in another: every field of the first is in the second with
 * the same value, and the second may have more (defaults, status, server metadata).
 */
final class JsonSubset {

    private JsonSubset() {
    }

    /** Paths where {@code expected} is not contained in {@code actual}, with both values; empty when it is. */
    static List<String> differences(JsonNode expected, JsonNode actual) {
        var differences = new ArrayList<String>();
        compare("", expected, actual, differences);
        return differences;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isObject() && actual.isObject()) {
            expected.properties().forEach(field -> compare(path + "." + field.getKey(), field.getValue(),
                    actual.path(field.getKey()), differences));
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (var i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), differences);
            }
        } else if (!sameValue(expected, actual)) {
            differences.add((path.isEmpty() ? "." : path) + ": expected " + expected + " but was "
                    + (actual.isMissingNode() ? "missing" : actual.toString()));
        }
    }

    // 10 and 10L, or 48.1374 as double and as BigDecimal, are the same number in JSON.
    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }
}
