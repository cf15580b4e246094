package io.edgebridge.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * The manifest K3s applies on a cluster's bootstrap node: it installs the edge proxy with what it
 * needs to prove who it is (hub URL, CA bundle, one-time bootstrap token). The same objects are
 * kept as a template in manifests/edge/.
 */
public final class RegistrationManifest {

    public static final String NAMESPACE = "edgebridge-system";
    public static final String NAME = "edgebridge-edge-proxy";
    public static final String STATE_DIR = "/var/lib/edgebridge";
    /**
     * JVM flags of the edge proxy, in JAVA_TOOL_OPTIONS (read by the JVM itself, however the image
     * starts it). Measured with the real proxy process by ProxyFootprintBenchmark ({@code make
     * bench-proxy}, which reads them from manifests/edge), idle after sync on a 2-core machine: about
     * 135 MiB resident against 207 MiB with the JVM's own choices. Serial GC instead of G1 (-23 MiB);
     * a heap that starts small and gives memory back (-21 MiB); C1 only, as the proxy mostly idles
     * (-27 MiB); caps on code cache and metaspace, so the memory limit holds. The proxy takes states
     * up to a twentieth of its heap (HubClient.maxResponseBytes: about 6 MiB with -Xmx128m); a larger
     * -Xmx takes larger states and needs a larger memory limit.
     * <p>
     * TLS key exchange by X25519 only: JDK 17 sends a key share for each kind of group it offers, so
     * by default every handshake also computes a P-256 key that the hub (BoringSSL, or the JDK's
     * TLS) never uses. In a 10,000-proxy heal that P-256 key generation was about 60% of the
     * reconnecting proxies' CPU. The hub and K3s's API server both speak X25519.
     */
    public static final String PROXY_JVM_OPTIONS = String.join(" ", "-XX:+UseSerialGC", "-Xms16m", "-Xmn8m",
            "-Xmx128m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m", "-Djdk.tls.namedGroups=x25519");

    /** Idle resident memory measured above, with headroom. */
    public static final String PROXY_MEMORY_REQUEST = "160Mi";
    /** Peak resident memory measured while the largest state it accepts arrives (219 MiB), with headroom. */
    public static final String PROXY_MEMORY_LIMIT = "256Mi";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private RegistrationManifest() {
    }

    /** The {@code -Djdk.tls.*} settings of {@link #PROXY_JVM_OPTIONS}, for JVMs that simulate proxies. */
    public static Map<String, String> proxyTlsProperties() {
        var properties = new LinkedHashMap<String, String>();
        for (var option : PROXY_JVM_OPTIONS.split(" ")) {
            if (option.startsWith("-Djdk.tls.")) {
                var setting = option.substring(2).split("=", 2);
                properties.put(setting[0], setting[1]);
            }
        }
        return properties;
    }

    /** What differs between clusters; {@code cluster} is the cluster's identity, {@code <namespace>.<name>}. */
    public record Inputs(String cluster, String hubUrl, String caBundle, String bootstrapToken, String image) {
    }

    public static List<HasMetadata> objects(Inputs in) {
        // Sorted maps: Map.of iterates in a different order in every JVM, and the YAML must not.
        Map<String, String> labels = new TreeMap<>(Map.of("app.kubernetes.io/name", NAME,
                "app.kubernetes.io/part-of", "edgebridge"));
        var namespace = new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).withLabels(labels).endMetadata()
                .build();
        var account = new ServiceAccountBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE)
                .withLabels(labels).endMetadata().build();
        // The proxy applies whatever kinds the apps hold, CRDs and cluster-scoped objects included,
        // so on the edge it needs cluster-admin; the hub decides what it applies.
        var binding = new ClusterRoleBindingBuilder().withNewMetadata().withName(NAME).withLabels(labels).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("cluster-admin").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(NAMESPACE).endSubject()
                .build();
        var secret = new SecretBuilder().withNewMetadata().withName(NAME + "-bootstrap").withNamespace(NAMESPACE)
                .withLabels(labels).endMetadata()
                .withType("Opaque")
                .withStringData(new TreeMap<>(Map.of("cluster", in.cluster(), "hubUrl", in.hubUrl(),
                        "ca.crt", in.caBundle(), "token", in.bootstrapToken())))
                .build();
        var state = new PersistentVolumeClaimBuilder().withNewMetadata().withName(NAME + "-state")
                .withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("64Mi")).endResources().endSpec()
                .build();
        var deployment = new DeploymentBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE)
                .withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().addToMatchLabels("app.kubernetes.io/name", NAME).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withServiceAccountName(NAME)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(185L).withFsGroup(185L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("edge-proxy").withImage(in.image())
                .addNewEnv().withName("EDGEBRIDGE_PROXY_STATE_DIR").withValue(STATE_DIR).endEnv()
                .addNewEnv().withName("EDGEBRIDGE_PROXY_BOOTSTRAP_DIR").withValue("/etc/edgebridge/bootstrap").endEnv()
                .addNewEnv().withName("QUARKUS_LOG_CONSOLE_JSON_ENABLED").withValue("true").endEnv()
                .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(PROXY_JVM_OPTIONS).endEnv()
                // glibc's malloc keeps an arena per thread that allocates; two are plenty here.
                .addNewEnv().withName("MALLOC_ARENA_MAX").withValue("2").endEnv()
                .addNewPort().withName("http").withContainerPort(8081).endPort()
                .withNewResources()
                .addToRequests("cpu", new Quantity("20m")).addToRequests("memory", new Quantity(PROXY_MEMORY_REQUEST))
                .addToLimits("memory", new Quantity(PROXY_MEMORY_LIMIT)).endResources()
                .withNewLivenessProbe().withNewHttpGet().withPath("/q/health/live").withPort(new IntOrString("http"))
                .endHttpGet().withPeriodSeconds(20).endLivenessProbe()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("state").withMountPath(STATE_DIR).endVolumeMount()
                .addNewVolumeMount().withName("bootstrap").withMountPath("/etc/edgebridge/bootstrap")
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("state").withNewPersistentVolumeClaim().withClaimName(NAME + "-state")
                .endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("bootstrap").withNewSecret().withSecretName(NAME + "-bootstrap").endSecret()
                .endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
        return List.of(namespace, account, binding, secret, state, deployment);
    }

    public static String yaml(Inputs in) {
        return objects(in).stream().map(YAML::asYaml).collect(Collectors.joining());
    }

    /** Gzip, then base64: how the EVE-k settings carry the manifest. */
    public static String gzipBase64(String yaml) {
        var bytes = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(bytes)) {
            gzip.write(yaml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
