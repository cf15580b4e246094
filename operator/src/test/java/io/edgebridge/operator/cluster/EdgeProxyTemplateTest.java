package io.edgebridge.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * manifests/edge/edge-proxy.yaml is the registration manifest with placeholders, for installing
 * the edge proxy by hand; it must be what the operator renders. {@code make manifests} rewrites it
 * ({@code -Dmanifests.update=true}).
 */
class EdgeProxyTemplateTest {

    static final Path TEMPLATE = Path.of(System.getProperty("basedir", "."), "..", "manifests", "edge",
            "edge-proxy.yaml");
    static final String HEADER = """
            # The edge proxy, installed into an edge K3s cluster. The operator renders this, filled in,
            # as the registration manifest of each EdgeCluster (see its node Secrets); to install by hand,
            # replace the ${...} placeholders. Generated: make manifests.
            """;

    @Test
    void theTemplateIsWhatTheOperatorRenders() throws IOException {
        var rendered = HEADER + RegistrationManifest.yaml(new RegistrationManifest.Inputs("${CLUSTER}", "${HUB_URL}",
                "${CA_BUNDLE}", "${BOOTSTRAP_TOKEN}", "${EDGE_PROXY_IMAGE}"));
        if (Boolean.getBoolean("manifests.update")) {
            Files.writeString(TEMPLATE, rendered);
            return;
        }
        assertTrue(Files.exists(TEMPLATE), TEMPLATE + " is missing: run make manifests");
        assertEquals(rendered, Files.readString(TEMPLATE), "manifests/edge/edge-proxy.yaml is stale: run make manifests");
    }
}
