package io.edgebridge.operator.hub;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run in a JVM of its own (TLS settings are per JVM): completes a TLS handshake with the hub at
 * {@code localhost:<port>}, trusting the CA in {@code <ca file>}, and prints the protocol.
 */
public final class TlsProbe {

    private TlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        var ca = CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readString(Path.of(args[1])).getBytes(StandardCharsets.US_ASCII)));
        var trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        try (var socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", Integer.parseInt(args[0]))) {
            socket.startHandshake();
            System.out.println(socket.getSession().getProtocol());
        }
    }
}
