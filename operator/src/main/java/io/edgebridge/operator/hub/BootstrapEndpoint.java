package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.operator.cluster.ClusterIdentity;
import io.edgebridge.operator.cluster.ClusterSecrets;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.identity.CertificateIssuer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * {@code POST /sync/v1/bootstrap}: trades a cluster's one-time, expiring bootstrap token and a
 * CSR for a client certificate. The token is checked against its hash and marked used with an
 * optimistic lock, so it works exactly once across all hub replicas. Every failure looks the same
 * to the caller (401), and is logged.
 */
@ApplicationScoped
public class BootstrapEndpoint {

    private static final Logger LOG = Logger.getLogger(BootstrapEndpoint.class);

    @Inject
    FleetCache fleet;

    @Inject
    KubernetesClient client;

    @Inject
    ClusterAuthorizer authorizer;

    @Inject
    CertificateService certificates;

    /** Runs on a worker thread: it reads and writes Secrets. */
    void handle(HttpServerRequest http, BootstrapRequest request) {
        var identity = ClusterIdentity.parse(request.cluster());
        if (identity.isEmpty() || request.token() == null || request.token().isBlank()) {
            HubResponses.refuse(http, 400, "cluster (<namespace>.<name>) and token are required");
            return;
        }
        var cluster = fleet.cluster(identity.get().namespace(), identity.get().name()).orElse(null);
        if (cluster == null || cluster.getMetadata().getDeletionTimestamp() != null) {
            HubResponses.refuse(http, 401, "bootstrap for unknown cluster " + request.cluster());
            return;
        }
        var quarantined = authorizer.quarantined(cluster);
        if (quarantined.isPresent()) {
            HubResponses.refuse(http, 403, "node " + quarantined.get() + " of " + request.cluster() + " is quarantined");
            return;
        }
        var secrets = client.secrets().inNamespace(identity.get().namespace());
        var secret = secrets.withName(ClusterSecrets.bootstrapTokenName(identity.get().name())).get();
        var annotations = secret == null ? null : secret.getMetadata().getAnnotations();
        if (annotations == null || !matches(request.token(), annotations.get(ClusterSecrets.TOKEN_HASH_ANNOTATION))) {
            HubResponses.refuse(http, 401, "wrong bootstrap token for " + request.cluster());
            return;
        }
        boolean retry = annotations.get(ClusterSecrets.USED_ANNOTATION) != null;
        if (retry && !sameKey(request.csr(), annotations.get(ClusterSecrets.USED_BY_KEY_ANNOTATION))) {
            HubResponses.refuse(http, 401, "bootstrap token of " + request.cluster() + " was already used at "
                    + annotations.get(ClusterSecrets.USED_ANNOTATION));
            return;
        }
        var expires = annotations.get(ClusterSecrets.EXPIRES_ANNOTATION);
        if (expires == null || !Instant.parse(expires).isAfter(Instant.now())) {
            HubResponses.refuse(http, 401, "bootstrap token of " + request.cluster() + " expired at " + expires);
            return;
        }
        final io.edgebridge.api.sync.v1.CertificateResponse response;
        try {
            response = certificates.issue(cluster, request.csr());
        } catch (CertificateIssuer.BadRequestException e) {
            HubResponses.refuse(http, 400, e.getMessage());
            return;
        }
        if (retry) {
            // The device that traded the token asks again with the same key: its answer was lost
            // (a timeout on a slow link). A stolen token with another key gets nothing.
            LOG.infof("EdgeCluster %s: edge proxy bootstrapped again with the same key from %s", request.cluster(),
                    http.remoteAddress());
            HubResponses.json(http, HubJson.write(response));
            return;
        }
        var used = new SecretBuilder(secret).editMetadata()
                .addToAnnotations(ClusterSecrets.USED_ANNOTATION, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .addToAnnotations(ClusterSecrets.USED_BY_KEY_ANNOTATION, keyOf(request.csr()))
                .endMetadata().build();
        try {
            // The resourceVersion in `used` makes this fail if another replica used the token first.
            client.resource(used).update();
        } catch (KubernetesClientException e) {
            HubResponses.refuse(http, 401, "bootstrap token of " + request.cluster() + " was used concurrently");
            return;
        }
        LOG.infof("EdgeCluster %s: edge proxy bootstrapped from %s", request.cluster(), http.remoteAddress());
        HubResponses.json(http, HubJson.write(response));
    }

    /** Whether the CSR asks for the key the token was traded for (an unreadable CSR never does). */
    private static boolean sameKey(String csr, String usedBy) {
        return usedBy != null && usedBy.equals(keyOf(csr));
    }

    private static String keyOf(String csr) {
        try {
            return CertificateIssuer.publicKeySha256(csr);
        } catch (CertificateIssuer.BadRequestException e) {
            return null; // certificates.issue refused it already when it mattered
        }
    }

    private static boolean matches(String token, String expectedHash) {
        if (expectedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(ClusterSecrets.sha256(token).getBytes(StandardCharsets.US_ASCII),
                expectedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
