package io.edgebridge.proxy.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.SignedBundle;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Checks the hub's signature on a bundle: ECDSA P-256 / SHA-256 over {@link CanonicalJson#bytes} of
 * the bundle. Nothing that fails here is ever stored or applied.
 */
public final class BundleVerifier {

    // Unknown fields are ignored: a newer hub may add some, and the signature covers them anyway.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * P-256 with BouncyCastle's curve-specific arithmetic: about ten times faster than the JDK 17
     * provider (measured 0.1 ms against 1.0 ms a verification on the development machine), which
     * matters on small edge CPUs and when a whole fleet's simulated proxies share two cores.
     */
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(),
            P256.getN(), P256.getH());

    private final ECPublicKeyParameters signingKey;

    /** @param signingKey the hub's bundle signing key (EC P-256) */
    public BundleVerifier(PublicKey signingKey) {
        this.signingKey = p256(signingKey);
    }

    private static ECPublicKeyParameters p256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256
                || !ec.getParams().getOrder().equals(P256.getN())) {
            throw new IllegalArgumentException("the bundle signing key is not an EC P-256 key");
        }
        var w = ec.getW();
        return new ECPublicKeyParameters(DOMAIN.getCurve().validatePoint(w.getAffineX(), w.getAffineY()), DOMAIN);
    }

    /** The outcome of one check: the bundle, or why it was refused. */
    public sealed interface Result {
    }

    public record Accepted(VerifiedBundle bundle) implements Result {
    }

    public record Rejected(String app, String reason) implements Result {
    }

    /**
     * @param content the bundle exactly as received (the "bundle" member of a {@link SignedBundle})
     * @param signature base64 DER
     */
    public Result verify(JsonNode content, String signature) {
        String app = content != null && content.hasNonNull("app") ? content.get("app").asText() : null;
        if (content == null || !content.isObject()) {
            return new Rejected(app, "no bundle");
        }
        if (signature == null || signature.isBlank()) {
            return new Rejected(app, "no signature");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new Rejected(app, "the signature is not base64");
        }
        AppBundle bundle;
        try {
            bundle = JSON.treeToValue(content, AppBundle.class);
        } catch (JsonProcessingException e) {
            return new Rejected(app, "the bundle cannot be read: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return new Rejected(app, "the bundle cannot be read: " + e.getMessage());
        }
        // The bytes as received are what the hub signed; the bytes of the parsed record are accepted
        // too, so a hub whose JSON writer adds or drops nulls still verifies. Both describe the
        // record that is applied.
        if (!verifies(CanonicalJson.bytes(content), der) && !verifies(CanonicalJson.bytes(bundle), der)) {
            return new Rejected(app, "the signature does not match the bundle signing key");
        }
        if (bundle.app() == null || bundle.app().isBlank() || bundle.hash() == null || bundle.hash().isBlank()) {
            return new Rejected(app, "the bundle names no app or hash");
        }
        // The tree itself, not a copy: nothing changes JSON trees here, and a copy of every bundle's
        // objects costs about four times the bundle's size in heap while a large state arrives.
        return new Accepted(new VerifiedBundle(bundle, content, signature));
    }

    public Result verify(SignedBundle signed) {
        return verify(JSON.valueToTree(signed.bundle()), signed.signature());
    }

    /** {@value SignedBundle#ALGORITHM}: ECDSA over the SHA-256 of the content, the signature strict DER. */
    private boolean verifies(byte[] content, byte[] der) {
        var verifier = new DSADigestSigner(new ECDSASigner(), new SHA256Digest(), StandardDSAEncoding.INSTANCE);
        verifier.init(false, signingKey);
        verifier.update(content, 0, content.length);
        try {
            return verifier.verifySignature(der);
        } catch (RuntimeException malformedSignature) {
            return false;
        }
    }
}
