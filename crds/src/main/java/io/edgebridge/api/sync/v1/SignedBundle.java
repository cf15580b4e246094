package io.edgebridge.api.sync.v1;

/**
 * A bundle and the hub's signature over its canonical JSON ({@link CanonicalJson#bytes}): ECDSA
 * P-256 with SHA-256 (JCA name {@value #ALGORITHM}), base64-encoded DER. The proxy verifies it
 * with the key it received at bootstrap before it persists or applies anything.
 */
public record SignedBundle(AppBundle bundle, String signature) {

    public static final String ALGORITHM = "SHA256withECDSA";
}
