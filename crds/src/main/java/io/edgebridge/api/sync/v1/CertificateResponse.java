package io.edgebridge.api.sync.v1;

/**
 * A signed client certificate with what the proxy needs to trust the hub (answer to bootstrap and
 * to {@code POST /sync/v1/clusters/{cluster}/certificate}, the renewal).
 *
 * @param certificate the proxy's certificate, PEM
 * @param caBundle the hub's CA certificate(s), PEM
 * @param bundleSigningKey the public key that signs bundles, PEM (SubjectPublicKeyInfo)
 * @param renewAfter when the proxy should renew (RFC 3339), well before expiry
 */
public record CertificateResponse(String certificate, String caBundle, String bundleSigningKey, String renewAfter) {
}
