package io.edgebridge.operator.identity;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.SignedBundle;
import io.edgebridge.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Signs bundles so an edge proxy applies only what this hub sent, whatever sits on the path. The
 * key is separate from the CA's (a leaked signing key must not mint identities) and kept in a
 * Secret, made on first start, shared by every replica.
 */
@ApplicationScoped
public class BundleSigner {

    private static final Logger LOG = Logger.getLogger(BundleSigner.class);
    static final String PRIVATE_KEY = "signing.key";
    static final String PUBLIC_KEY = "signing.pub";

    @Inject
    KubernetesClient client;

    @Inject
    OperatorConfig config;

    private volatile KeyPair keys;

    public SignedBundle sign(AppBundle bundle) {
        try {
            var signature = Signature.getInstance(SignedBundle.ALGORITHM);
            signature.initSign(keys().getPrivate());
            signature.update(CanonicalJson.bytes(bundle));
            return new SignedBundle(bundle, Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a bundle", e);
        }
    }

    /** The verification key, PEM (SubjectPublicKeyInfo), handed to proxies at bootstrap. */
    public String publicKeyPem() {
        return pem("PUBLIC KEY", keys().getPublic().getEncoded());
    }

    private KeyPair keys() {
        var current = keys;
        if (current == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = loadOrCreate();
                }
                current = keys;
            }
        }
        return current;
    }

    private KeyPair loadOrCreate() {
        var secrets = client.secrets().inNamespace(config.namespace());
        var existing = secrets.withName(config.signingSecretName()).get();
        if (existing != null) {
            return read(existing);
        }
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            var pair = generator.generateKeyPair();
            var secret = new SecretBuilder()
                    .withNewMetadata().withName(config.signingSecretName()).withNamespace(config.namespace())
                    .addToLabels("app.kubernetes.io/part-of", "edgebridge").endMetadata()
                    .withType("Opaque")
                    .withData(Map.of(PRIVATE_KEY, base64(pair.getPrivate().getEncoded()),
                            PUBLIC_KEY, base64(pair.getPublic().getEncoded())))
                    .build();
            secrets.resource(secret).create();
            LOG.infof("Created the bundle signing key in Secret %s/%s", config.namespace(), config.signingSecretName());
            return pair;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return read(secrets.withName(config.signingSecretName()).get());
            }
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the bundle signing key", e);
        }
    }

    private static KeyPair read(Secret secret) {
        try {
            var factory = KeyFactory.getInstance("EC");
            var decoder = Base64.getDecoder();
            return new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(decoder.decode(secret.getData().get(PUBLIC_KEY)))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(decoder.decode(secret.getData().get(PRIVATE_KEY)))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("the Secret " + secret.getMetadata().getName()
                    + " does not hold an EC signing key pair", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
