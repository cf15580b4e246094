package io.edgebridge.api.sync.v1;

/** Body of the renewal call, made with the current certificate: a CSR for a new key pair (PEM). */
public record RenewRequest(String csr) {
}
