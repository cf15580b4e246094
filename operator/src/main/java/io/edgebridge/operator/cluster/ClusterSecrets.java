package io.edgebridge.operator.cluster;

import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.v1alpha1.EdgeCluster;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Secrets of an EdgeCluster: the edge proxy's one-time bootstrap token, the K3s cluster token,
 * and the EVE-k settings of each member node. All are owned by the cluster, so they go with it.
 */
@ApplicationScoped
public class ClusterSecrets {

    public static final String CLUSTER_LABEL = "edgebridge.io/cluster";
    public static final String KIND_LABEL = "edgebridge.io/secret-kind";
    public static final String KIND_BOOTSTRAP = "bootstrap-token";
    public static final String KIND_K3S = "k3s-token";
    public static final String KIND_NODE = "node-settings";
    /** On the cluster: change its value to get a new bootstrap token (for example to re-provision a device). */
    public static final String ROTATE_ANNOTATION = "edgebridge.io/rotate-bootstrap-token";
    /** On the token Secret: the rotation request it answers. */
    public static final String ROTATION_ANNOTATION = "edgebridge.io/rotation";
    public static final String EXPIRES_ANNOTATION = "edgebridge.io/expires-at";
    /** On the token Secret, set by the hub when the token was traded for a certificate. */
    public static final String USED_ANNOTATION = "edgebridge.io/used-at";
    /**
     * On the token Secret, with used-at: SHA-256 of the public key the token was traded for. The
     * same device asking again (its answer was lost) gets a certificate again; no other key does.
     */
    public static final String USED_BY_KEY_ANNOTATION = "edgebridge.io/used-by-key-sha256";
    /** SHA-256 of the token, so the hub checks a token without holding any in memory. */
    public static final String TOKEN_HASH_ANNOTATION = "edgebridge.io/token-sha256";
    public static final String CONTENT_HASH_ANNOTATION = "edgebridge.io/content-hash";
    public static final String NODE_ANNOTATION = "edgebridge.io/node";
    public static final String TOKEN_KEY = "token";
    public static final String SETTINGS_KEY = "edge-node-cluster.json";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    KubernetesClient client;

    public static String bootstrapTokenName(String cluster) {
        return cluster + "-bootstrap-token";
    }

    public static String k3sTokenName(String cluster) {
        return cluster + "-k3s-token";
    }

    /** {@code <cluster>-node-<node>}, shortened with a hash when over the 253 characters a name may have. */
    public static String nodeSettingsName(String cluster, String node) {
        var name = cluster + "-node-" + node;
        if (name.length() <= 253) {
            return name;
        }
        return name.substring(0, 236) + "-" + CanonicalJson.hash(node, 16);
    }

    /** A token and what the cache knows about the Secret holding it. */
    public record Token(String secretName, String sha256) {
    }

    /**
     * Makes sure the cluster has a valid bootstrap token: a new one when there is none, when the
     * unused one expired, or when the cluster asks for rotation.
     */
    public Token ensureBootstrapToken(EdgeCluster cluster, Collection<Secret> cached, Duration ttl, Instant now) {
        var name = bootstrapTokenName(cluster.getMetadata().getName());
        var rotation = annotation(cluster.getMetadata().getAnnotations(), ROTATE_ANNOTATION);
        var existing = find(cached, name);
        if (existing.isPresent()) {
            var annotations = existing.get().getMetadata().getAnnotations();
            boolean used = annotation(annotations, USED_ANNOTATION) != null;
            var expires = annotation(annotations, EXPIRES_ANNOTATION);
            boolean expired = expires == null || !Instant.parse(expires).isAfter(now);
            boolean rotationAsked = rotation != null && !rotation.equals(annotation(annotations, ROTATION_ANNOTATION));
            if (!rotationAsked && (used || !expired)) {
                return new Token(name, annotation(annotations, TOKEN_HASH_ANNOTATION));
            }
        }
        var token = randomToken(32);
        var hash = sha256(token);
        var secret = base(cluster, name, KIND_BOOTSTRAP)
                .editMetadata()
                    .addToAnnotations(EXPIRES_ANNOTATION, now.plus(ttl).truncatedTo(ChronoUnit.SECONDS).toString())
                    .addToAnnotations(TOKEN_HASH_ANNOTATION, hash)
                    .addToAnnotations(ROTATION_ANNOTATION, rotation == null ? "" : rotation)
                .endMetadata()
                .withData(Map.of(TOKEN_KEY, base64(token)))
                .build();
        client.resource(secret).createOr(c -> c.update());
        return new Token(name, hash);
    }

    /** Makes sure the cluster has a K3s token; it never changes once made (nodes joined with it). */
    public Token ensureK3sToken(EdgeCluster cluster, Collection<Secret> cached) {
        var name = k3sTokenName(cluster.getMetadata().getName());
        var existing = find(cached, name);
        if (existing.isPresent()) {
            return new Token(name, annotation(existing.get().getMetadata().getAnnotations(), TOKEN_HASH_ANNOTATION));
        }
        var token = randomToken(36);
        var hash = sha256(token);
        var secret = base(cluster, name, KIND_K3S)
                .editMetadata().addToAnnotations(TOKEN_HASH_ANNOTATION, hash).endMetadata()
                .withData(Map.of(TOKEN_KEY, base64(token)))
                .build();
        client.resource(secret).createOr(c -> c.update());
        return new Token(name, hash);
    }

    /** Reads a token from the API server; the cache holds no data. */
    public String readToken(String namespace, String secretName) {
        var secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null || secret.getData() == null || secret.getData().get(TOKEN_KEY) == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + secretName + " has no token");
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(TOKEN_KEY)), StandardCharsets.UTF_8);
    }

    /** Whether the node's settings Secret already holds content with this hash. */
    public boolean nodeSettingsCurrent(Collection<Secret> cached, String cluster, String node, String contentHash) {
        return find(cached, nodeSettingsName(cluster, node))
                .map(s -> contentHash.equals(annotation(s.getMetadata().getAnnotations(), CONTENT_HASH_ANNOTATION)))
                .orElse(false);
    }

    public void writeNodeSettings(EdgeCluster cluster, String node, String json, String contentHash) {
        var secret = base(cluster, nodeSettingsName(cluster.getMetadata().getName(), node), KIND_NODE)
                .editMetadata()
                    .addToAnnotations(CONTENT_HASH_ANNOTATION, contentHash)
                    .addToAnnotations(NODE_ANNOTATION, node)
                .endMetadata()
                .withData(Map.of(SETTINGS_KEY, base64(json)))
                .build();
        client.resource(secret).createOr(c -> c.update());
    }

    /** Deletes the settings of nodes that left the cluster. */
    public void deleteStaleNodeSettings(Collection<Secret> cached, Set<String> members) {
        for (var secret : cached) {
            var labels = secret.getMetadata().getLabels();
            if (labels != null && KIND_NODE.equals(labels.get(KIND_LABEL))
                    && !members.contains(annotation(secret.getMetadata().getAnnotations(), NODE_ANNOTATION))) {
                client.secrets().inNamespace(secret.getMetadata().getNamespace())
                        .withName(secret.getMetadata().getName()).delete();
            }
        }
    }

    private static SecretBuilder base(EdgeCluster cluster, String name, String kind) {
        var meta = cluster.getMetadata();
        return new SecretBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(meta.getNamespace())
                    .addToLabels(CLUSTER_LABEL, meta.getName())
                    .addToLabels(KIND_LABEL, kind)
                    .addToLabels("app.kubernetes.io/part-of", "edgebridge")
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                            .withName(meta.getName()).withUid(meta.getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withType("Opaque");
    }

    private static Optional<Secret> find(Collection<Secret> cached, String name) {
        return cached.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }

    /** data, not stringData: the API server converts stringData, but not every server we test against does. */
    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String randomToken(int bytes) {
        var raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
