package io.edgebridge.operator.identity;

import io.edgebridge.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.jboss.logging.Logger;

/**
 * The operator's certificate authority: it signs edge proxy identities. Kept in a Secret and made
 * on first start, so every replica and every restart uses the same one.
 */
@ApplicationScoped
public class CertificateAuthority {

    private static final Logger LOG = Logger.getLogger(CertificateAuthority.class);
    private static final Duration VALIDITY = Duration.ofDays(3650);

    @Inject
    KubernetesClient client;

    @Inject
    OperatorConfig config;

    private volatile Loaded loaded;

    /** The CA's certificate and key. */
    public record Loaded(X509Certificate certificate, PrivateKey key, String certificatePem) {
    }

    public Loaded get() {
        var current = loaded;
        if (current == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = loadOrCreate();
                }
                current = loaded;
            }
        }
        return current;
    }

    /** PEM of the CA certificate, for clients that must trust the hub and for verifying identities. */
    public String bundlePem() {
        return get().certificatePem();
    }

    private Loaded loadOrCreate() {
        var secrets = client.secrets().inNamespace(config.namespace());
        var existing = secrets.withName(config.caSecretName()).get();
        if (existing != null) {
            return read(existing);
        }
        var created = generate();
        try {
            secrets.resource(created).create();
            LOG.infof("Created the EdgeBridge CA in Secret %s/%s", config.namespace(), config.caSecretName());
            return read(created);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // Another replica made it first: use theirs.
                return read(secrets.withName(config.caSecretName()).get());
            }
            throw e;
        }
    }

    private Secret generate() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            var now = Instant.now();
            var name = new X500Name("CN=EdgeBridge CA,O=EdgeBridge");
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            var certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new SecretBuilder()
                    .withNewMetadata().withName(config.caSecretName()).withNamespace(config.namespace())
                    .addToLabels("app.kubernetes.io/part-of", "edgebridge").endMetadata()
                    .withType("kubernetes.io/tls")
                    .withData(Map.of("tls.crt", base64(pem(certificate)), "tls.key", base64(pem(pair.getPrivate()))))
                    .build();
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the CA", e);
        }
    }

    private static Loaded read(Secret secret) {
        var certPem = decode(secret.getData().get("tls.crt"));
        var keyPem = decode(secret.getData().get("tls.key"));
        try (var certParser = new PEMParser(new StringReader(certPem));
                var keyParser = new PEMParser(new StringReader(keyPem))) {
            var certificate = new JcaX509CertificateConverter()
                    .getCertificate((X509CertificateHolder) certParser.readObject());
            var key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) keyParser.readObject());
            return new Loaded(certificate, key, certPem);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("the CA Secret " + secret.getMetadata().getName()
                    + " does not hold a PEM certificate and PKCS#8 key", e);
        }
    }

    /** PEM of a certificate, key or other object BouncyCastle writes. */
    public static String pem(Object object) throws IOException {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        }
        return out.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        if (base64 == null) {
            throw new UncheckedIOException(new IOException("missing key in the CA Secret"));
        }
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
