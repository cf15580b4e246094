package io.edgebridge.operator.hub;

import java.io.ByteArrayInputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The client certificate of a connection, parsed apart from the connection. Netty's TLS session
 * hands out lazily parsed certificates and keeps the parsed form for the connection's life: about
 * 3 KB of heap for each of ten thousand idle proxies, for a subject read once per sync. Parsing a
 * copy of the encoding (the JDK keeps a small cache of recent ones) leaves only the encoding held.
 */
final class PeerCertificates {

    private PeerCertificates() {
    }

    /** The first (the peer's own) certificate of a chain, or empty when there is none or it does not parse. */
    static Optional<X509Certificate> leaf(List<Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            return Optional.empty();
        }
        try {
            var encoded = chain.get(0).getEncoded();
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(encoded)));
        } catch (CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
