package io.edgebridge.proxy.identity;

import static io.edgebridge.proxy.testing.Bundles.bundle;
import static io.edgebridge.proxy.testing.Bundles.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.api.sync.v1.SignedBundle;
import io.edgebridge.proxy.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestPki pki = new TestPki();
    private final BundleVerifier verifier = new BundleVerifier(pki.signingKeys().getPublic());
    private final SignedBundle signed = pki.sign(bundle("shop", "r1", "retail",
            configMap("settings", Map.of("currency", "EUR"))));

    @Test
    void acceptsWhatTheHubSigned() {
        var accepted = assertInstanceOf(BundleVerifier.Accepted.class, verifier.verify(wire(signed), signed.signature()));
        assertEquals("shop", accepted.bundle().app());
        assertEquals(signed.bundle().hash(), accepted.bundle().hash());
        assertEquals("EUR", accepted.bundle().bundle().resources().get(0).get("data", "currency"));
    }

    @Test
    void acceptsTheSameContentWrittenInAnotherFieldOrder() {
        var reordered = JSON.createObjectNode();
        var original = wire(signed);
        var names = new ArrayList<String>();
        original.fieldNames().forEachRemaining(names::add);
        Collections.reverse(names);
        names.forEach(name -> reordered.set(name, original.get(name)));
        assertInstanceOf(BundleVerifier.Accepted.class, verifier.verify(reordered, signed.signature()));
    }

    @Test
    void refusesATamperedBundle() {
        var tampered = wire(signed);
        ((ObjectNode) tampered.at("/resources/0/data")).put("currency", "XXX");
        var rejected = assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(tampered, signed.signature()));
        assertEquals("shop", rejected.app());
    }

    @Test
    void refusesAnExtraObjectSlippedIn() {
        var tampered = wire(signed);
        ((ArrayNode) tampered.get("resources"))
                .add(JSON.valueToTree(configMap("extra", Map.of())));
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(tampered, signed.signature()));
    }

    @Test
    void refusesABundleSignedWithAnotherKey() {
        var forged = TestPki.sign(signed.bundle(), DeviceKeys.generate());
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(wire(forged), forged.signature()));
    }

    @Test
    void refusesMissingOrMalformedSignatures() {
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(wire(signed), null));
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(wire(signed), "not base64!"));
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(wire(signed), "AAAA"));
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(null, signed.signature()));
    }

    @Test
    void refusesASignatureWithTrailingBytesOrANonCanonicalEncoding() {
        var der = java.util.Base64.getDecoder().decode(signed.signature());
        var trailing = java.util.Arrays.copyOf(der, der.length + 1);
        assertInstanceOf(BundleVerifier.Rejected.class, verifier.verify(wire(signed),
                java.util.Base64.getEncoder().encodeToString(trailing)));
    }

    @Test
    void wantsAP256SigningKey() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        var p384 = generator.generateKeyPair().getPublic();
        var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BundleVerifier(p384));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("P-256"), refused.getMessage());
    }

    /** The bundle as JSON off the wire. */
    private static ObjectNode wire(SignedBundle signed) {
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(signed.bundle()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
