package io.edgebridge.api.sync.v1;

/**
 * Body of {@code POST /sync/v1/bootstrap}: a one-time bootstrap token traded for a client
 * certificate. The key pair is made on the device; only the CSR (PEM, PKCS#10) travels.
 */
public record BootstrapRequest(String cluster, String token, String csr) {
}
