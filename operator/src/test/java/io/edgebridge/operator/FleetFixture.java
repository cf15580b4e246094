package io.edgebridge.operator;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.AppStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ReportedNode;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Puts fleets into the API server and plays the hub's part: writing what edge proxies report. */
public final class FleetFixture {

    public static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."), "..", "manifests", "examples");

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "EdgeNode", EdgeNode.class, "EdgeCluster", EdgeCluster.class, "EdgeApp", EdgeApp.class);

    private final KubernetesClient client;

    public FleetFixture(KubernetesClient client) {
        this.client = client;
    }

    /** Creates every object of the YAML documents, in order. */
    public void apply(String yaml) {
        var items = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        for (HasMetadata item : items) {
            // The mock server has no discovery: our kinds are created through their typed classes.
            var typed = KINDS.get(item.getKind());
            client.resource(typed == null ? item : client.getKubernetesSerialization().convertValue(item, typed))
                    .create();
        }
    }

    /** Applies the example files whose names start with one of the prefixes, in name order. */
    public void applyExamples(String... prefixes) {
        applyExamplesIn("retail-eu", prefixes);
    }

    /** The same, moved to another namespace so test classes sharing a server stay apart. */
    public void applyExamplesIn(String namespace, String... prefixes) {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (var file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                var name = file.getFileName().toString();
                if (prefixes.length == 0 || Stream.of(prefixes).anyMatch(name::startsWith)) {
                    apply(Files.readString(file).replace("retail-eu", namespace));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the hub writes after a sync: when the proxy was seen, its apps and its K3s nodes. */
    public void report(String namespace, String cluster, Instant lastSeen, List<AppStatus> apps,
            List<ReportedNode> nodes) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("lastSeen", lastSeen.toString());
        status.put("apps", apps);
        status.put("reportedNodes", nodes);
        var resource = client.resources(EdgeCluster.class).inNamespace(namespace).withName(cluster);
        if (resource.get().getStatus() == null) {
            resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                    client.getKubernetesSerialization().asJson(Map.of("status", status)));
            return;
        }
        // Fields set whole, as the hub does: a merge patch would merge lists on the mock server.
        var ops = status.entrySet().stream()
                .map(e -> Map.of("op", "add", "path", "/status/" + e.getKey(), "value", e.getValue())).toList();
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON),
                client.getKubernetesSerialization().asJson(ops));
    }

    /** What the hub writes when it sees a proxy go away. */
    public void disconnected(String namespace, String cluster, Instant at) {
        client.resources(EdgeCluster.class).inNamespace(namespace).withName(cluster).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(
                        List.of(Map.of("op", "add", "path", "/status/disconnectedAt", "value", at.toString()))));
    }

    public EdgeApp app(String namespace, String name) {
        return client.resources(EdgeApp.class).inNamespace(namespace).withName(name).get();
    }

    public EdgeCluster cluster(String namespace, String name) {
        return client.resources(EdgeCluster.class).inNamespace(namespace).withName(name).get();
    }

    public EdgeNode node(String namespace, String name) {
        return client.resources(EdgeNode.class).inNamespace(namespace).withName(name).get();
    }

    public static AppStatus ready(String app, String revision) {
        return new AppStatus(app, revision, true, false, null);
    }

    public static AppStatus failed(String app, String revision, String message) {
        return new AppStatus(app, revision, false, true, message);
    }

    public static ReportedNode node(String name, boolean ready) {
        return new ReportedNode(name, ready, "v1.33.4+k3s1", "14.5.0-kvm", null);
    }
}
