package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.operator.cluster.ClusterIdentity;
import io.edgebridge.operator.identity.BundleSigner;
import io.edgebridge.operator.identity.CertificateAuthority;
import io.edgebridge.operator.identity.CertificateIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Issues proxy certificates, with what a proxy needs to trust the hub and its bundles. */
@ApplicationScoped
public class CertificateService {

    @Inject
    CertificateAuthority authority;

    @Inject
    BundleSigner signer;

    @Inject
    HubConfig config;

    public CertificateResponse issue(EdgeCluster cluster, String csr) throws CertificateIssuer.BadRequestException {
        var validity = config.certificateValidity();
        var certificate = new CertificateIssuer(authority.get())
                .issueClient(csr, ClusterIdentity.of(cluster), cluster.getMetadata().getUid(), validity);
        // Renew at two thirds of the validity: a proxy offline for a while still renews in time.
        var renewAfter = Instant.now().plus(validity.multipliedBy(2).dividedBy(3)).truncatedTo(ChronoUnit.SECONDS);
        try {
            return new CertificateResponse(CertificateAuthority.pem(certificate), authority.bundlePem(),
                    signer.publicKeyPem(), renewAfter.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
