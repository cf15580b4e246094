package io.edgebridge.api.sync.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fieldOrderDoesNotChangeBytesOrHash() throws Exception {
        var a = JSON.readTree("{\"b\":1,\"a\":{\"y\":[2,{\"q\":1,\"p\":2}],\"x\":\"s\"}}");
        var b = JSON.readTree("{\"a\":{\"x\":\"s\",\"y\":[2,{\"p\":2,\"q\":1}]},\"b\":1}");
        assertEquals("{\"a\":{\"x\":\"s\",\"y\":[2,{\"p\":2,\"q\":1}]},\"b\":1}", new String(CanonicalJson.bytes(a)));
        assertEquals(CanonicalJson.hash(a, 16), CanonicalJson.hash(b, 16));
    }

    @Test
    void contentChangesTheHashAndArrayOrderMatters() throws Exception {
        var base = CanonicalJson.hash(JSON.readTree("{\"a\":[1,2]}"), 16);
        assertNotEquals(base, CanonicalJson.hash(JSON.readTree("{\"a\":[2,1]}"), 16));
        assertNotEquals(base, CanonicalJson.hash(JSON.readTree("{\"a\":[1,2],\"b\":null}"), 16));
        assertEquals(16, base.length());
    }

    @Test
    void aMapOfStringsGivesTheBytesOfItsTree() {
        var map = new java.util.HashMap<String, String>();
        map.put("web", "0123abcd");
        map.put("caf\u00e9", "held:\"quoted\" \\ back\nline \u2603");
        map.put("Zeta", "");
        map.put("a\u0001", "control");

        var expected = new String(CanonicalJson.bytes(JSON.valueToTree(map)), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(expected, new String(CanonicalJson.bytes(map), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(expected, new String(CanonicalJson.bytes(new java.util.TreeMap<>(map)),
                java.nio.charset.StandardCharsets.UTF_8));
        var withNull = new java.util.TreeMap<String, String>();
        withNull.put("b", null);
        withNull.put("a", "1");
        assertEquals("{\"a\":\"1\",\"b\":null}", new String(CanonicalJson.bytes(withNull),
                java.nio.charset.StandardCharsets.UTF_8), "a map holding null is written by way of its tree");
    }
}
