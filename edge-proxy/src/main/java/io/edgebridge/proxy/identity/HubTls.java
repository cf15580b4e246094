package io.edgebridge.proxy.identity;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the proxy trusts and presents when it talks to the hub: the EdgeBridge CA, and once
 * enrolled, the device key and certificate ({@code keys} is null before that).
 */
public record HubTls(KeyManagerFactory keys, TrustManagerFactory trust) {

    public HubTls {
        Objects.requireNonNull(trust, "trust");
    }

    /** The same as a JDK context, for clients other than the proxy's own (probes, tests). */
    public SSLContext sslContext() throws GeneralSecurityException {
        var context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
