package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs the committed CRDs (crds/*.yml) into a cluster and waits until it serves them. */
final class EdgeBridgeCrds {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private EdgeBridgeCrds() {
    }

    static List<CustomResourceDefinition> install(KubernetesClient client) {
        var crds = RepoPaths.files("crds", "*.yml").stream()
                .map(file -> client.apiextensions().v1().customResourceDefinitions().load(file.toFile()).item())
                .toList();
        crds.forEach(crd -> client.resource(crd).create());
        for (var crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(EdgeBridgeCrds::established, TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        // Established means the names are accepted; discovery, which kubectl and generic
        // resources rely on, catches up a moment later.
        for (var crd : crds) {
            for (var version : crd.getSpec().getVersions()) {
                var groupVersion = crd.getSpec().getGroup() + "/" + version.getName();
                await("discovery of " + crd.getMetadata().getName() + " in " + groupVersion)
                        .atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> client.getApiResources(groupVersion).getResources().stream()
                                .anyMatch(r -> r.getName().equals(crd.getSpec().getNames().getPlural())));
            }
        }
        return crds;
    }

    private static boolean established(CustomResourceDefinition crd) {
        // A CRD just created may have a status without conditions yet.
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
