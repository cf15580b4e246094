package io.edgebridge.proxy.sync;

import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.sync.v1.RenewRequest;
import io.edgebridge.proxy.config.BootstrapSource;
import io.edgebridge.proxy.identity.DeviceKeys;
import io.edgebridge.proxy.identity.HubTls;
import io.edgebridge.proxy.identity.Identity;
import io.edgebridge.proxy.identity.Pem;
import io.edgebridge.proxy.identity.TlsContexts;
import io.edgebridge.proxy.store.IdentityStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The device's identity over its life: bootstrap with the one-time token on first start (or when
 * the hub no longer accepts the certificate), renewal with a new key before expiry. Used by the sync
 * loop's thread only.
 */
public final class Enrollment {

    private static final Logger LOG = Logger.getLogger(Enrollment.class);

    private final String cluster;
    private final IdentityStore store;
    private final BootstrapSource bootstrap;
    private final Function<HubTls, HubClient> clients;
    private final Clock clock;
    private final Duration renewalRetry;
    // Read by the enforcement thread for the status report.
    private volatile Identity identity;
    private boolean rejected;
    private Instant nextRenewalAttempt = Instant.MIN;
    // Kept between attempts: each client owns a connection pool.
    private List<X509Certificate> bootstrapClientTrust;
    private HubClient bootstrapClient;
    private int bootstrapAttempts;

    /**
     * @param clients makes a hub client for a TLS setup
     * @param renewalRetry how long to wait after a failed renewal while the certificate is still valid
     */
    public Enrollment(String cluster, IdentityStore store, BootstrapSource bootstrap,
            Function<HubTls, HubClient> clients, Clock clock, Duration renewalRetry) {
        this.cluster = cluster;
        this.store = store;
        this.bootstrap = bootstrap;
        this.clients = clients;
        this.clock = clock;
        this.renewalRetry = renewalRetry;
    }

    /** Reads the stored identity, if any; no network. */
    public Optional<Identity> load() throws IOException {
        identity = store.load().filter(this::forThisCluster).orElse(null);
        return Optional.ofNullable(identity);
    }

    public Optional<Identity> current() {
        return Optional.ofNullable(identity);
    }

    /**
     * The identity to sync with, bootstrapping first when there is none or when the hub refused it.
     * Expiry is left to the hub to judge: the device's clock may be wrong.
     */
    public Identity ensure() throws HubException, EnrollmentException, InterruptedException {
        if (identity != null && !rejected) {
            return identity;
        }
        return bootstrap();
    }

    /** Releases the bootstrap client's connections; call once the sync loop has stopped. */
    public void close() {
        if (bootstrapClient != null) {
            bootstrapClient.close();
            bootstrapClient = null;
        }
    }

    /** The hub answered 401 to the certificate: the next {@link #ensure()} bootstraps again. */
    public void rejected() {
        rejected = true;
    }

    /**
     * Renews the certificate when it is due. A failure is logged and retried later; the current
     * certificate stays in use while it is valid.
     *
     * @return true when a new certificate was stored
     */
    public boolean renewIfDue(HubClient mutualClient) throws InterruptedException {
        var now = clock.instant();
        if (identity == null || !identity.renewalDue(now) || now.isBefore(nextRenewalAttempt)) {
            return false;
        }
        try {
            var keys = store.renewalKey();
            var response = mutualClient.renew(cluster, new RenewRequest(DeviceKeys.csr(keys, cluster)));
            identity = store.save(cluster, keys, response, identity.trustAnchors());
            // Spaced even when it worked: with a clock far ahead, every renewal would look due at once.
            nextRenewalAttempt = now.plus(renewalRetry);
            LOG.infof("Renewed the client certificate; valid until %s, renewal after %s", identity.notAfter(),
                    identity.renewAfter());
            return true;
        } catch (HubException | IOException | GeneralSecurityException e) {
            nextRenewalAttempt = now.plus(renewalRetry);
            LOG.warnf("Certificate renewal failed (%s); retrying after %s, the certificate is valid until %s",
                    e.getMessage(), nextRenewalAttempt, identity.notAfter());
            return false;
        }
    }

    private Identity bootstrap() throws HubException, EnrollmentException, InterruptedException {
        var token = bootstrap.token().orElseThrow(() -> new EnrollmentException(
                "no bootstrap token: mount the bootstrap Secret or set edgebridge.proxy.token"));
        var trust = bootstrapTrust();
        KeyPair keys;
        try {
            keys = store.bootstrapKey();
            if (bootstrapClient == null || !trust.equals(bootstrapClientTrust)) {
                if (bootstrapClient != null) {
                    bootstrapClient.close();
                }
                bootstrapClient = clients.apply(TlsContexts.trusting(trust));
                bootstrapClientTrust = trust;
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new EnrollmentException("cannot prepare the bootstrap: " + e.getMessage(), e);
        }
        // Once at INFO: while the hub is unreachable this repeats on every retry.
        LOG.logf(bootstrapAttempts++ == 0 ? Logger.Level.INFO : Logger.Level.DEBUG,
                "Bootstrapping the identity of cluster %s with the hub", cluster);
        CertificateResponse response;
        try {
            response = bootstrapClient.bootstrap(new BootstrapRequest(cluster, token, DeviceKeys.csr(keys, cluster)));
        } catch (HubException e) {
            if (e.identityRejected()) {
                throw new EnrollmentException("the hub refused the bootstrap token (" + e.getMessage()
                        + "): it is wrong, used or expired; a new one is needed in the bootstrap Secret", e);
            }
            throw e;
        }
        try {
            identity = store.save(cluster, keys, response, trust);
        } catch (IOException | GeneralSecurityException e) {
            throw new EnrollmentException("the hub's certificate response cannot be used: " + e.getMessage(), e);
        }
        rejected = false;
        bootstrapAttempts = 0;
        nextRenewalAttempt = Instant.MIN;
        LOG.infof("Bootstrapped: certificate for %s valid until %s", cluster, identity.notAfter());
        return identity;
    }

    /** The CA from the bootstrap Secret; after a first bootstrap, the CA the hub sent is as good. */
    private List<X509Certificate> bootstrapTrust() throws EnrollmentException {
        var pem = bootstrap.caCertificate();
        if (pem.isPresent()) {
            try {
                return Pem.certificates(pem.get());
            } catch (GeneralSecurityException e) {
                throw new EnrollmentException("the bootstrap ca.crt is not a PEM certificate: " + e.getMessage(), e);
            }
        }
        if (identity != null) {
            return identity.trustAnchors();
        }
        throw new EnrollmentException("no CA certificate for the hub: mount the bootstrap Secret (ca.crt) or set"
                + " edgebridge.proxy.ca-cert");
    }

    private boolean forThisCluster(Identity stored) {
        if (cluster.equals(stored.cluster())) {
            return true;
        }
        LOG.warnf("The stored identity is for cluster %s, not %s; bootstrapping anew", stored.cluster(), cluster);
        return false;
    }
}
