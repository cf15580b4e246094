package io.edgebridge.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of RFC 7386, appendix A. */
class JsonMergePatchTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"b\"}                  | {\"a\":\"c\"}              | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                  | {\"b\":\"c\"}              | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                  | {\"a\":null}               | {}",
        "{\"a\":\"b\",\"b\":\"c\"}      | {\"a\":null}               | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}                | {\"a\":\"c\"}              | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                  | {\"a\":[\"b\"]}            | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}          | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}        | {\"a\":[1]}                | {\"a\":[1]}",
        "[\"a\",\"b\"]                  | [\"c\",\"d\"]              | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                  | [\"c\"]                    | [\"c\"]",
        "{\"a\":\"foo\"}                | null                       | null",
        "{\"a\":\"foo\"}                | \"bar\"                    | \"bar\"",
        "{\"e\":null}                   | {\"a\":1}                  | {\"e\":null,\"a\":1}",
        "[1,2]                          | {\"a\":\"b\",\"c\":null}   | {\"a\":\"b\"}",
        "{}                             | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
    void appliesLikeTheRfc(String target, String patch, String expected) throws Exception {
        JsonNode result = JsonMergePatch.apply(JSON.readTree(target), JSON.readTree(patch));
        assertEquals(JSON.readTree(expected), result);
    }

    @ParameterizedTest(name = "diff {0} -> {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,\"b\":2}              | {\"a\":1,\"b\":3}       | {\"b\":3}",
        "{\"a\":1,\"b\":2}              | {\"a\":1}                | {\"b\":null}",
        "{\"a\":{\"x\":1,\"y\":2}}    | {\"a\":{\"x\":1}}      | {\"a\":{\"y\":null}}",
        "{\"l\":[1,2]}                    | {\"l\":[1]}              | {\"l\":[1]}",
        "{\"a\":1}                        | {\"a\":1}                | {}"})
    void diffIsTheInverseOfApply(String source, String target, String expected) throws Exception {
        var diff = JsonMergePatch.diff(JSON.readTree(source), JSON.readTree(target));
        assertEquals(JSON.readTree(expected), diff);
        assertEquals(JSON.readTree(target), JsonMergePatch.apply(JSON.readTree(source), diff));
    }
}
