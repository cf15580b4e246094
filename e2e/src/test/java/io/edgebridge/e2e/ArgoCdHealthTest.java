package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** manifests/argocd health checks, run by a Lua interpreter the way Argo CD runs them. */
class ArgoCdHealthTest {

    static final YAMLMapper YAML = new YAMLMapper();

    static String script(String kind) throws IOException {
        var configMap = YAML.readTree(Files.readString(RepoPaths.root().resolve("manifests/argocd/argocd-cm-health.yaml")));
        return configMap.at("/data").path("resource.customizations.health.edgebridge.io_" + kind).asText();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("EdgeApp", "{metadata: {generation: 1}}", "Progressing"),
                Arguments.of("EdgeApp", "{metadata: {generation: 2}, status: {observedGeneration: 1, conditions: "
                        + "[{type: Available, status: 'True'}]}}", "Progressing"),
                Arguments.of("EdgeApp", "{metadata: {generation: 1}, status: {observedGeneration: 1, phase: Available, "
                        + "conditions: [{type: Available, status: 'True', message: 2/2 clusters ready}, "
                        + "{type: Progressing, status: 'False'}, {type: Degraded, status: 'False'}]}}", "Healthy"),
                Arguments.of("EdgeApp", "{metadata: {generation: 1}, status: {observedGeneration: 1, phase: Progressing, "
                        + "conditions: [{type: Available, status: 'True'}, {type: Progressing, status: 'True', "
                        + "message: wave canary}, {type: Degraded, status: 'False'}]}}", "Progressing"),
                Arguments.of("EdgeApp", "{metadata: {generation: 1}, status: {observedGeneration: 1, phase: Degraded, "
                        + "conditions: [{type: Degraded, status: 'True', message: 3 clusters failed}]}}", "Degraded"),
                Arguments.of("EdgeApp", "{metadata: {generation: 1}, status: {observedGeneration: 1, phase: Suspended, "
                        + "conditions: [{type: Available, status: 'True'}]}}", "Suspended"),
                Arguments.of("EdgeCluster", "{status: {phase: Ready, display: {nodes: 2/2}}}", "Healthy"),
                Arguments.of("EdgeCluster", "{status: {phase: Offline, conditions: [{type: Connected, status: 'False', "
                        + "message: no sync}]}}", "Degraded"),
                Arguments.of("EdgeCluster", "{status: {phase: Provisioning}}", "Progressing"),
                Arguments.of("EdgeCluster", "{status: {phase: Paused}}", "Suspended"),
                Arguments.of("EdgeNode", "{status: {phase: Ready}}", "Healthy"),
                Arguments.of("EdgeNode", "{status: {phase: Quarantined}}", "Suspended"),
                Arguments.of("EdgeNode", "{}", "Progressing"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cases")
    void healthIsWhatTheStatusSays(String kind, String object, String expected) throws IOException {
        var globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(YAML.readTree(object)));
        var result = globals.load(script(kind), kind).call();
        assertEquals(expected, result.get("status").tojstring());
        assertEquals(true, result.get("message").isstring(), "a message for the UI");
    }

    static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            var table = new LuaTable();
            node.fields().forEachRemaining(f -> table.set(f.getKey(), lua(f.getValue())));
            return table;
        }
        if (node.isArray()) {
            var table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
