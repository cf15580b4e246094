package io.edgebridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CEL validation rules (x-kubernetes-validations) of the committed CRDs in crds/. */
final class CrdRules {

    /**
     * One rule. {@code message} is the text the API server puts into its error; a rule without one
     * is reported as "failed rule: ..." with the rule itself.
     */
    record Rule(String apiVersion, String kind, String path, String rule, String message) {

        @Override
        public String toString() {
            return kind + " " + path + ": \"" + message + "\"";
        }
    }

    private CrdRules() {
    }

    static List<Rule> all() {
        var rules = new ArrayList<Rule>();
        for (var file : RepoPaths.files("crds", "*.yml")) {
            rules.addAll(of(file));
        }
        return rules;
    }

    static List<Rule> of(Path crdFile) {
        JsonNode crd;
        try {
            crd = new YAMLMapper().readTree(crdFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var rules = new ArrayList<Rule>();
        var group = crd.at("/spec/group").asText();
        var kind = crd.at("/spec/names/kind").asText();
        for (var version : crd.at("/spec/versions")) {
            var apiVersion = group + "/" + version.path("name").asText();
            collect(apiVersion, kind, "", version.at("/schema/openAPIV3Schema"), rules);
        }
        return rules;
    }

    // Walks every field, not only properties and items, so no place a rule can sit is missed.
    private static void collect(String apiVersion, String kind, String path, JsonNode node, List<Rule> rules) {
        if (node.isObject()) {
            for (var rule : node.path("x-kubernetes-validations")) {
                var text = rule.path("rule").asText();
                var message = rule.hasNonNull("message") ? rule.get("message").asText() : "failed rule: " + text;
                rules.add(new Rule(apiVersion, kind, path.isEmpty() ? "<root>" : path, text, message));
            }
            node.properties().forEach(field -> {
                if (!field.getKey().equals("x-kubernetes-validations")) {
                    collect(apiVersion, kind, childPath(path, field.getKey()), field.getValue(), rules);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(apiVersion, kind, path, element, rules));
        }
    }

    /** Object paths as users write them: spec.overrides[].images[], without the schema's own keys. */
    private static String childPath(String path, String schemaKey) {
        return switch (schemaKey) {
            case "properties", "anyOf", "allOf", "oneOf", "not" -> path;
            case "items" -> path + "[]";
            case "additionalProperties" -> path + "{}";
            default -> path.isEmpty() ? schemaKey : path + "." + schemaKey;
        };
    }
}
