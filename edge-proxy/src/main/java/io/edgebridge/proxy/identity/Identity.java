package io.edgebridge.proxy.identity;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What the proxy proves itself with and whom it trusts: its key and certificate, the CA that signs
 * the hub's server certificate, and the key that signs bundles.
 *
 * @param certificateChain the proxy's certificate first
 * @param trustAnchors the only CAs the proxy accepts for the hub's server certificate
 * @param renewAfter when to ask for a new certificate (with a new key)
 */
public record Identity(
        String cluster,
        KeyPair keys,
        List<X509Certificate> certificateChain,
        List<X509Certificate> trustAnchors,
        PublicKey bundleSigningKey,
        Instant renewAfter) {

    public Identity {
        certificateChain = List.copyOf(certificateChain);
        trustAnchors = List.copyOf(trustAnchors);
    }

    public Instant notAfter() {
        return certificateChain.get(0).getNotAfter().toInstant();
    }

    public boolean renewalDue(Instant now) {
        return !now.isBefore(renewAfter);
    }

    /** Without the key: identities end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "Identity[cluster=" + cluster + ", notAfter=" + notAfter() + ", renewAfter=" + renewAfter + "]";
    }
}
