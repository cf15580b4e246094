package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** manifests/install renders offline with kustomize and holds a safe, least-privilege operator install. */
class InstallManifestsTest {

    static final Path REPO = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    static final ObjectMapper YAML = new YAMLMapper();
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final Set<String> KINDS = Set.of("edgenodes", "edgeclusters", "edgeapps");

    static List<JsonNode> rendered;

    @BeforeAll
    static void render() throws Exception {
        var process = new ProcessBuilder("kubectl", "kustomize", REPO.resolve("manifests/install").toString())
                .redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, process.exitValue(), "kubectl kustomize manifests/install failed:\n" + output);
        rendered = documents(output);
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            });
        }
        return docs;
    }

    static List<JsonNode> ofKind(String kind) {
        return rendered.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode single(String kind) {
        var found = ofKind(kind);
        assertEquals(1, found.size(), "exactly one " + kind);
        return found.get(0);
    }

    static Set<String> texts(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void installsTheCommittedCrdsUnchanged() throws IOException {
        var crds = ofKind("CustomResourceDefinition");
        assertEquals(3, crds.size());
        for (var crd : crds) {
            var name = crd.at("/metadata/name").asText();
            // Compared as typed CRDs: kustomize rewrites numbers such as 1.0 to 1.
            var committed = SERIALIZATION.unmarshal(Files.readString(REPO.resolve("crds/" + name + "-v1.yml")),
                    CustomResourceDefinition.class);
            assertEquals(committed.getSpec(), SERIALIZATION.convertValue(crd, CustomResourceDefinition.class).getSpec(),
                    name + " as installed differs from crds/");
            assertTrue(crd.at("/metadata/namespace").isMissingNode(), "CRDs are cluster-scoped");
        }
    }

    @Test
    void everythingNamespacedLandsInTheOperatorNamespace() {
        assertEquals("edgebridge-system", single("Namespace").at("/metadata/name").asText());
        for (var kind : List.of("ServiceAccount", "Deployment", "Service")) {
            assertEquals("edgebridge-system", single(kind).at("/metadata/namespace").asText(), kind);
        }
    }

    @Test
    void rbacGrantsOnlyWhatTheOperatorUsesWithoutWildcards() {
        var role = single("ClusterRole");
        Set<String> granted = new HashSet<>();
        for (var rule : role.path("rules")) {
            for (var field : List.of("apiGroups", "resources", "verbs")) {
                assertFalse(texts(rule.path(field)).contains("*"), "no wildcard in " + field + ": " + rule);
            }
            assertTrue(Set.of("edgebridge.io", "apps", "").containsAll(texts(rule.path("apiGroups"))),
                    "only the API groups the operator uses: " + rule);
            for (var resource : texts(rule.path("resources"))) {
                for (var verb : texts(rule.path("verbs"))) {
                    granted.add(resource + ":" + verb);
                }
            }
        }
        for (var used : List.of("controllerrevisions:create", "controllerrevisions:watch", "secrets:create",
                "secrets:update", "secrets:delete", "secrets:watch", "events:create")) {
            assertTrue(granted.contains(used), used);
        }
        for (var kind : KINDS) {
            for (var verb : List.of("get", "list", "watch", "patch", "update")) {
                assertTrue(granted.contains(kind + ":" + verb), kind + ":" + verb);
            }
            assertTrue(granted.contains(kind + "/status:patch"), kind + "/status:patch");
            assertFalse(granted.contains(kind + ":delete"), "the operator never deletes what users declare");
            assertFalse(granted.contains(kind + ":create"), "the operator never creates what users declare");
        }

        var binding = single("ClusterRoleBinding");
        var account = single("ServiceAccount");
        assertEquals(role.at("/metadata/name"), binding.at("/roleRef/name"));
        assertEquals(account.at("/metadata/name"), binding.at("/subjects/0/name"));
        assertEquals(account.at("/metadata/namespace"), binding.at("/subjects/0/namespace"));
    }

    @Test
    void leaderElectionUsesALeaseInTheOperatorNamespaceOnly() {
        var role = single("Role");
        assertEquals("edgebridge-system", role.at("/metadata/namespace").asText());
        assertEquals(Set.of("coordination.k8s.io"), texts(role.at("/rules/0/apiGroups")));
        assertEquals(Set.of("leases"), texts(role.at("/rules/0/resources")));
        assertEquals(Set.of("get", "create", "update", "patch"), texts(role.at("/rules/0/verbs")));
        var binding = single("RoleBinding");
        assertEquals(role.at("/metadata/name"), binding.at("/roleRef/name"));
        assertEquals(single("ServiceAccount").at("/metadata/name"), binding.at("/subjects/0/name"));
        assertTrue(single("Deployment").at("/spec/replicas").asInt() >= 2, "a standby replica takes over");
    }

    @Test
    void operatorRunsHardenedWithLimitsAndHealthProbes() {
        var deployment = single("Deployment");
        var pod = deployment.at("/spec/template/spec");
        assertEquals(single("ServiceAccount").at("/metadata/name"), pod.path("serviceAccountName"));
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());

        var container = pod.at("/containers/0");
        var security = container.path("securityContext");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals(Set.of("ALL"), texts(security.at("/capabilities/drop")));
        for (var bound : List.of("/resources/requests/cpu", "/resources/requests/memory", "/resources/limits/memory")) {
            assertFalse(container.at(bound).isMissingNode(), "container sets " + bound);
        }
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertTrue(container.path("image").asText().startsWith("ghcr.io/edgebridge/edgebridge-operator:"),
                "the image name is set by kustomize: " + container.path("image"));
    }

    @Test
    void hubServiceReachesANamedPortOfTheOperator() {
        var service = single("Service");
        var podLabels = single("Deployment").at("/spec/template/metadata/labels");
        service.at("/spec/selector").fields().forEachRemaining(selector ->
                assertEquals(selector.getValue(), podLabels.path(selector.getKey()), "selector " + selector.getKey()));
        var containerPorts = StreamSupport.stream(
                single("Deployment").at("/spec/template/spec/containers/0/ports").spliterator(), false)
                .map(p -> p.path("name").asText()).toList();
        for (var port : service.at("/spec/ports")) {
            assertTrue(containerPorts.contains(port.path("targetPort").asText()), "targetPort " + port);
        }
    }
}
