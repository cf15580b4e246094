package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs in crds/ install into a real kube-apiserver, accept the examples, fill in their
 * defaults, and refuse bad input (OpenAPI schema and CEL rules) with messages saying what to fix.
 */
class CrdValidationTest {

    static final String NAMESPACE = "crd-validation";
    static final String EXAMPLES_NAMESPACE = "retail-eu";
    static final String GROUP = "edgebridge.io";

    static LocalControlPlane controlPlane;
    static KubernetesClient client;
    static List<JsonNode> examples;
    /** Examples the server refused, with its message; collected so one bad example fails one test, not all. */
    static final Map<String, String> refusedExamples = new LinkedHashMap<>();

    @BeforeAll
    static void installCrdsAndExamples() {
        controlPlane = LocalControlPlane.start();
        client = controlPlane.client();
        EdgeBridgeCrds.install(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();

        examples = Yaml.documents(RepoPaths.files("manifests/examples", "*.yaml"));
        for (var example : examples) {
            try {
                client.resource(resource(example)).create();
            } catch (KubernetesClientException e) {
                refusedExamples.put(id(example), serverMessage(e));
            }
        }
    }

    @AfterAll
    static void stopControlPlane() {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void examplesAreAcceptedAndStoredAsWritten() {
        assertEquals(Map.of(), refusedExamples, "examples refused by the API server");
        assertTrue(examples.stream().map(CrdValidationTest::kind).collect(Collectors.toSet())
                .containsAll(Set.of("EdgeNode", "EdgeCluster", "EdgeApp")), "the examples show every kind");
        for (var example : examples) {
            var stored = client.resource(resource(example)).get();
            assertNotNull(stored, id(example) + " is not stored");
            // The server silently prunes fields its schema does not know; an example must have none.
            assertEquals(List.of(), JsonSubset.differences(example, json(stored)), id(example) + " as stored");
        }
    }

    @Test
    void kubectlListsTheFleetByCategoryAndShortNames() throws Exception {
        var kubectl = new Kubectl(controlPlane.writeKubeconfig());
        var fleet = examples.stream()
                .filter(e -> apiVersion(e).startsWith(GROUP + "/"))
                .filter(e -> EXAMPLES_NAMESPACE.equals(e.at("/metadata/namespace").asText()))
                .map(e -> kind(e).toLowerCase() + "." + GROUP + "/" + e.at("/metadata/name").asText())
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(fleet, names(kubectl.run("get", "edge", "-n", EXAMPLES_NAMESPACE, "-o", "name")), "kubectl get edge");
        for (var shortName : Map.of("en", "edgenode", "ec", "edgecluster", "ea", "edgeapp").entrySet()) {
            var ofKind = fleet.stream().filter(n -> n.startsWith(shortName.getValue() + ".")).collect(Collectors.toSet());
            assertFalse(ofKind.isEmpty(), "the examples have a " + shortName.getValue());
            assertEquals(ofKind, names(kubectl.run("get", shortName.getKey(), "-n", EXAMPLES_NAMESPACE, "-o", "name")),
                    "kubectl get " + shortName.getKey());
        }
    }

    @Test
    void edgeAppDefaultsAreFilledInByTheServer() {
        var stored = createAndRead("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeApp
                metadata: {name: defaults}
                spec:
                  placement: {clusters: [munich]}
                  resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}]
                  rollout: {strategy: All}
                """);
        assertEquals(List.of(), JsonSubset.differences(Yaml.parse("""
                suspend: false
                revisionHistoryLimit: 10
                rollout:
                  strategy: All
                  maxUnavailable: 25%
                  maxFailures: 0
                  progressDeadline: 30m
                  failurePolicy: Pause
                  offlinePolicy: Defer
                """), stored.path("spec")));
    }

    @Test
    void edgeClusterAndEdgeNodeDefaultsAreFilledInByTheServer() {
        var cluster = createAndRead("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeCluster
                metadata: {name: defaults}
                spec:
                  nodeSelector: {matchLabels: {edgebridge.io/site: munich}}
                  network: {interfaceLabel: eth0, ipPrefix: 10.20.0.0/24}
                  connectivity: {}
                """);
        assertEquals(List.of(), JsonSubset.differences(Yaml.parse("""
                paused: false
                connectivity: {offlineAfter: 5m, pollInterval: 30s}
                """), cluster.path("spec")));

        var node = createAndRead("""
                apiVersion: edgebridge.io/v1alpha1
                kind: EdgeNode
                metadata: {name: defaults}
                spec: {serialNumber: SUPERMICRO-E100-8Q-0042}
                """);
        assertEquals(List.of(), JsonSubset.differences(Yaml.parse("quarantine: false"), node.path("spec")));
    }

    static Stream<ValidationCase> refusedCases() {
        return ValidationCase.all().stream().filter(ValidationCase::isRefused);
    }

    static Stream<ValidationCase> acceptedCases() {
        return ValidationCase.all().stream().filter(c -> !c.isRefused());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCases")
    void refusesInvalidInputSayingWhatToFix(ValidationCase c) {
        var object = resource(c.objectToCreate(NAMESPACE));
        KubernetesClientException error;
        if (c.isUpdate()) {
            var stored = assertDoesNotThrow(() -> client.resource(object).create(), c + ": the object before the update");
            error = assertThrows(KubernetesClientException.class,
                    () -> client.resource(resource(c.objectToUpdate(json(stored)))).update(), c.toString());
        } else {
            error = assertThrows(KubernetesClientException.class, () -> client.resource(object).create(), c.toString());
        }
        assertEquals(422, error.getCode(), c + " as invalid: " + error.getMessage());
        assertTrue(serverMessage(error).contains(c.refused()),
                c + " with a message containing \"" + c.refused() + "\": " + serverMessage(error));
        // A case that breaks more than its rule could pass for the wrong reason.
        assertEquals(1, reasons(error).size(), c + " for exactly one reason: " + serverMessage(error));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedCases")
    void acceptsValidInput(ValidationCase c) {
        var expected = c.objectToCreate(NAMESPACE);
        var object = resource(expected);
        var created = assertDoesNotThrow(() -> client.resource(object).create(), c.toString());
        if (c.isUpdate()) {
            expected = c.objectToUpdate(json(created));
            var update = resource(expected);
            assertDoesNotThrow(() -> client.resource(update).update(), c + ": the update");
        }
        var stored = json(client.resource(created).get());
        assertEquals(List.of(), JsonSubset.differences(expected.path("spec"), stored.path("spec")), c + ": spec as stored");
    }

    private static JsonNode createAndRead(String yaml) {
        var object = Yaml.parse(yaml);
        ((ObjectNode) object.path("metadata")).put("namespace", NAMESPACE);
        var created = client.resource(resource(object)).create();
        return json(client.resource(created).get());
    }

    /**
     * The causes of a refusal, without the note the server adds when a schema error kept it from
     * running the CEL rules: that note is not a second reason.
     */
    private static List<StatusCause> reasons(KubernetesClientException error) {
        return error.getStatus().getDetails().getCauses().stream()
                .filter(cause -> !cause.getMessage().contains("validation rules were not checked"))
                .toList();
    }

    private static Set<String> names(String kubectlOutput) {
        return Arrays.stream(kubectlOutput.split("\n")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static GenericKubernetesResource resource(JsonNode object) {
        return client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    }

    private static JsonNode json(HasMetadata object) {
        return client.getKubernetesSerialization().convertValue(object, JsonNode.class);
    }

    private static String serverMessage(KubernetesClientException e) {
        var status = e.getStatus();
        return status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    }

    private static String apiVersion(JsonNode object) {
        return object.path("apiVersion").asText();
    }

    private static String kind(JsonNode object) {
        return object.path("kind").asText();
    }

    private static String id(JsonNode object) {
        var metadata = object.path("metadata");
        return kind(object) + " " + metadata.path("namespace").asText() + "/" + metadata.path("name").asText();
    }
}
