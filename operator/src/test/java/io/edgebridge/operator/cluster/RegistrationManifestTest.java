package io.edgebridge.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class RegistrationManifestTest {

    static final RegistrationManifest.Inputs INPUTS = new RegistrationManifest.Inputs("retail-eu.munich",
            "https://hub.example:443", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n", "tok3n",
            "ghcr.io/edgebridge/edgebridge-edge-proxy:1.0");

    @Test
    void installsTheProxyWithItsIdentityAndAPersistentStateDirectory() {
        var objects = RegistrationManifest.objects(INPUTS);
        assertEquals("Namespace,ServiceAccount,ClusterRoleBinding,Secret,PersistentVolumeClaim,Deployment",
                String.join(",", objects.stream().map(o -> o.getKind()).toList()));
        var secret = (Secret) objects.get(3);
        assertEquals("tok3n", secret.getStringData().get("token"));
        assertEquals("retail-eu.munich", secret.getStringData().get("cluster"));
        var pod = ((Deployment) objects.get(5)).getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(RegistrationManifest.STATE_DIR, pod.getContainers().get(0).getVolumeMounts().get(0).getMountPath());
        assertEquals("ghcr.io/edgebridge/edgebridge-edge-proxy:1.0", pod.getContainers().get(0).getImage());
    }

    @Test
    void gzipBase64RoundTrips() throws Exception {
        var yaml = RegistrationManifest.yaml(INPUTS);
        try (var in = new GZIPInputStream(new ByteArrayInputStream(
                Base64.getDecoder().decode(RegistrationManifest.gzipBase64(yaml))))) {
            assertEquals(yaml, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
