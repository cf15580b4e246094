package io.edgebridge.proxy.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.SignedBundle;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Checks the hub's signature on a bundle: ECDSA P-256 / SHA-256 over {@link CanonicalJson#bytes} of
 * the bundle. Nothing that fails here is ever stored or applied.
 */
public final class BundleVerifier {

    // Unknown fields are ignored: a newer hub may add some, and the signature covers them anyway.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final PublicKey signingKey;

    public BundleVerifier(PublicKey signingKey) {
        this.signingKey = signingKey;
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

    private boolean verifies(byte[] content, byte[] der) {
        try {
            var verifier = Signature.getInstance(SignedBundle.ALGORITHM);
            verifier.initVerify(signingKey);
            verifier.update(content);
            return verifier.verify(der);
        } catch (GeneralSecurityException malformedSignature) {
            return false;
        }
    }
}
