package io.edgebridge.proxy.store;

import static io.edgebridge.proxy.testing.Bundles.bundle;
import static io.edgebridge.proxy.testing.Bundles.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.proxy.identity.BundleVerifier;
import io.edgebridge.proxy.identity.DeviceKeys;
import io.edgebridge.proxy.identity.VerifiedBundle;
import io.edgebridge.proxy.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateStoreTest {

    private final TestPki pki = new TestPki();
    private final BundleVerifier verifier = new BundleVerifier(pki.signingKeys().getPublic());

    @TempDir
    Path stateDir;

    @Test
    void roundTripVerifiesAgain() throws Exception {
        var state = new DesiredState("hash-1", "epoch-1", Map.of("shop", verified("shop", "EUR")), Set.of());
        new DesiredStateStore(stateDir).save(state);

        var loaded = new DesiredStateStore(stateDir).load(verifier).orElseThrow();
        assertEquals("hash-1", loaded.stateHash());
        assertEquals("epoch-1", loaded.epoch());
        assertEquals(state.known(), loaded.known());
        assertEquals("EUR", loaded.bundles().get("shop").bundle().resources().get(0).get("data", "currency"));
    }

    @Test
    void aBundleEditedOnDiskIsWithheldNotApplied() throws Exception {
        var state = new DesiredState("hash-1", "epoch-1",
                Map.of("shop", verified("shop", "EUR"), "pos", verified("pos", "CHF")), Set.of());
        new DesiredStateStore(stateDir).save(state);
        // Someone edits the bundle and fixes up the file's checksum: only the signature can tell.
        var file = stateDir.resolve("desired-state.json");
        var content = ChecksummedFile.readVerified(file);
        var edited = new String(content, StandardCharsets.UTF_8).replace("EUR", "XXX").getBytes(StandardCharsets.UTF_8);
        Files.delete(file);
        new ChecksummedFile(file).write(edited);

        var loaded = new DesiredStateStore(stateDir).load(verifier).orElseThrow();
        assertEquals(Set.of("pos"), loaded.bundles().keySet());
        assertEquals(Set.of("shop"), loaded.withheld());
        assertNull(loaded.stateHash(), "the proxy no longer holds the whole state");
    }

    @Test
    void bundlesDoNotVerifyWithAnotherKey() throws Exception {
        new DesiredStateStore(stateDir).save(new DesiredState("hash-1", "e", Map.of("shop", verified("shop", "EUR")),
                Set.of()));
        var loaded = new DesiredStateStore(stateDir).load(new BundleVerifier(DeviceKeys.generate().getPublic()))
                .orElseThrow();
        assertTrue(loaded.bundles().isEmpty());
        assertEquals(Set.of("shop"), loaded.withheld());
    }

    @Test
    void aCorruptFileGivesNoStateAtAll() throws Exception {
        new DesiredStateStore(stateDir).save(new DesiredState("hash-1", "e", Map.of("shop", verified("shop", "EUR")),
                Set.of()));
        Files.writeString(stateDir.resolve("desired-state.json"), "torn");
        var store = new DesiredStateStore(stateDir);
        assertTrue(store.load(verifier).isEmpty(), "nothing known, so nothing is applied or pruned");
        assertTrue(store.current().isEmpty());
    }

    private VerifiedBundle verified(String app, String currency) {
        var signed = pki.sign(bundle(app, "r1", "retail", configMap("settings", Map.of("currency", currency))));
        var accepted = (BundleVerifier.Accepted) verifier.verify(new ObjectMapper().valueToTree(signed.bundle()),
                signed.signature());
        return accepted.bundle();
    }
}
