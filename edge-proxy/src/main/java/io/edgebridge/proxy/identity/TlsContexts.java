package io.edgebridge.proxy.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings for talking to the hub: trust only the EdgeBridge CA (never the system's CAs, so a
 * public CA cannot vouch for an impostor hub), and present the device certificate once there is one.
 */
public final class TlsContexts {

    private static final char[] IN_MEMORY = "edgebridge".toCharArray();

    private TlsContexts() {
    }

    /** For bootstrap: server authentication only. */
    public static HubTls trusting(List<X509Certificate> trustAnchors) throws GeneralSecurityException {
        return new HubTls(null, trustManagers(trustAnchors));
    }

    /** For every other call: mutual TLS with the device's key and certificate. */
    public static HubTls mutual(Identity identity) throws GeneralSecurityException {
        var keyStore = emptyStore();
        keyStore.setKeyEntry("device", identity.keys().getPrivate(), IN_MEMORY,
                identity.certificateChain().toArray(X509Certificate[]::new));
        var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, IN_MEMORY);
        return new HubTls(keyManagers, trustManagers(identity.trustAnchors()));
    }

    private static TrustManagerFactory trustManagers(List<X509Certificate> anchors) throws GeneralSecurityException {
        if (anchors.isEmpty()) {
            throw new GeneralSecurityException("no CA to trust for the hub");
        }
        var trustStore = emptyStore();
        for (int i = 0; i < anchors.size(); i++) {
            trustStore.setCertificateEntry("edgebridge-ca-" + i, anchors.get(i));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return factory;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        var store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }
}
