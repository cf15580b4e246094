package io.edgebridge.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated CRDs say what the API promises: documented fields, defaults, columns, names. */
class CrdSchemaTest {

    /** Subtrees whose types come from the Kubernetes model, documented upstream. */
    private static final Set<String> UPSTREAM_TYPES = Set.of("clusterSelector", "nodeSelector", "conditions",
            "capacity");

    @TempDir
    static Path generated;

    static JsonNode crd(Class<? extends HasMetadata> kind) {
        if (!CrdYaml.fileOf(generated, kind).exists()) {
            CrdYaml.generate(generated);
        }
        return Fixtures.documents(CrdYaml.fileOf(generated, kind).toPath()).get(0);
    }

    static JsonNode schema(Class<? extends HasMetadata> kind) {
        return crd(kind).at("/spec/versions/0/schema/openAPIV3Schema");
    }

    @Test
    void everyFieldOfSpecAndStatusIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (var kind : CrdYaml.KINDS) {
            var root = schema(kind).path("properties");
            collectUndocumented(HasMetadata.getKind(kind) + ".spec", root.path("spec"), undocumented);
            collectUndocumented(HasMetadata.getKind(kind) + ".status", root.path("status"), undocumented);
        }
        assertEquals(List.of(), undocumented);
    }

    private static void collectUndocumented(String path, JsonNode schema, List<String> out) {
        var properties = schema.has("items") ? schema.path("items").path("properties") : schema.path("properties");
        properties.fields().forEachRemaining(field -> {
            var child = path + "." + field.getKey();
            if (!field.getValue().hasNonNull("description")) {
                out.add(child);
            }
            if (!UPSTREAM_TYPES.contains(field.getKey())) {
                collectUndocumented(child, field.getValue(), out);
            }
        });
    }

    @Test
    void schemaDefaultsAreTheOnesTheCodeAssumes() {
        var app = schema(EdgeApp.class).at("/properties/spec/properties");
        var rollout = app.at("/rollout/properties");
        assertEquals(EdgeAppSpec.DEFAULT_REVISION_HISTORY_LIMIT, app.at("/revisionHistoryLimit/default").asInt());
        assertEquals(false, app.at("/suspend/default").asBoolean(true));
        assertEquals(EdgeAppSpec.Strategy.All.name(), rollout.at("/strategy/default").asText());
        assertEquals(EdgeAppSpec.FailurePolicy.Pause.name(), rollout.at("/failurePolicy/default").asText());
        assertEquals(EdgeAppSpec.OfflinePolicy.Defer.name(), rollout.at("/offlinePolicy/default").asText());
        assertEquals(EdgeAppSpec.Rollout.DEFAULT_PROGRESS_DEADLINE, rollout.at("/progressDeadline/default").asText());
        assertEquals(EdgeAppSpec.Rollout.DEFAULT_MAX_UNAVAILABLE, rollout.at("/maxUnavailable/default").asText());
        assertEquals(0, rollout.at("/maxFailures/default").asInt(-1));

        var cluster = schema(EdgeCluster.class).at("/properties/spec/properties");
        assertEquals(EdgeClusterSpec.DEFAULT_OFFLINE_AFTER,
                cluster.at("/connectivity/properties/offlineAfter/default").asText());
        assertEquals(EdgeClusterSpec.DEFAULT_POLL_INTERVAL,
                cluster.at("/connectivity/properties/pollInterval/default").asText());
        assertEquals(false, cluster.at("/paused/default").asBoolean(true));
        assertEquals(false, schema(EdgeNode.class).at("/properties/spec/properties/quarantine/default").asBoolean(true));
    }

    @Test
    void printerColumnsAnswerIsItWorkingInOrder() {
        Map<Class<?>, List<String>> expected = Map.of(
                EdgeNode.class, List.of("Cluster", "Phase", "Last Seen", "EVE", "Age"),
                EdgeCluster.class, List.of("Nodes", "Phase", "K3s", "Last Seen", "Age"),
                EdgeApp.class, List.of("Ready", "Up-To-Date", "Phase", "Revision", "Age"));
        for (var kind : CrdYaml.KINDS) {
            List<String> columns = new ArrayList<>();
            crd(kind).at("/spec/versions/0/additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
            assertEquals(expected.get(kind), columns, kind.getSimpleName());
        }
    }

    @Test
    void kindsAreNamespacedWithShortNamesTheEdgeCategoryAndAStatusSubresource() {
        Map<Class<?>, String> shortNames = Map.of(EdgeNode.class, "en", EdgeCluster.class, "ec", EdgeApp.class, "ea");
        for (var kind : CrdYaml.KINDS) {
            var spec = crd(kind).path("spec");
            assertEquals("Namespaced", spec.path("scope").asText());
            assertEquals(shortNames.get(kind), spec.at("/names/shortNames/0").asText());
            assertEquals("edge", spec.at("/names/categories/0").asText());
            assertTrue(spec.at("/versions/0/subresources/status").isObject(), kind + " has a status subresource");
        }
    }

    @Test
    void embeddedResourcesAreKeptWholeByTheApiServer() {
        var items = schema(EdgeApp.class).at("/properties/spec/properties/resources/items");
        assertTrue(items.path("x-kubernetes-embedded-resource").asBoolean());
        assertTrue(items.path("x-kubernetes-preserve-unknown-fields").asBoolean());
    }

    @Test
    void everyValidationRuleHasAMessage() {
        List<String> bare = new ArrayList<>();
        for (var kind : CrdYaml.KINDS) {
            schema(kind).findParents("x-kubernetes-validations").forEach(parent ->
                    parent.path("x-kubernetes-validations").forEach(rule -> {
                        if (rule.path("message").asText().isBlank()) {
                            bare.add(rule.path("rule").asText());
                        }
                    }));
        }
        assertEquals(List.of(), bare);
    }
}
