package io.edgebridge.proxy.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.proxy.identity.DeviceKeys;
import io.edgebridge.proxy.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

    private static final String CLUSTER = "retail-eu.munich";
    private final TestPki pki = new TestPki();

    @TempDir
    Path stateDir;

    @Test
    void theDeviceKeyIsReadableByItsOwnerOnly() throws Exception {
        var store = new IdentityStore(stateDir);
        store.bootstrapKey();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("identity"))));
        assertTrue(Files.readString(store.keyFile()).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void anUnfinishedBootstrapReusesItsKey() throws Exception {
        var store = new IdentityStore(stateDir);
        var first = store.bootstrapKey();
        var again = new IdentityStore(stateDir).bootstrapKey();
        assertArrayEquals(first.getPublic().getEncoded(), again.getPublic().getEncoded());
    }

    @Test
    void savedIdentityLoadsOnTheNextStart() throws Exception {
        var store = new IdentityStore(stateDir);
        var keys = store.bootstrapKey();
        var saved = store.save(CLUSTER, keys, issue(keys), List.of());

        var loaded = new IdentityStore(stateDir).load().orElseThrow();
        assertEquals(CLUSTER, loaded.cluster());
        assertArrayEquals(keys.getPublic().getEncoded(), loaded.keys().getPublic().getEncoded());
        assertEquals(saved.notAfter(), loaded.notAfter());
        assertEquals(saved.renewAfter(), loaded.renewAfter());
        assertArrayEquals(pki.signingKeys().getPublic().getEncoded(), loaded.bundleSigningKey().getEncoded());
        assertEquals(1, loaded.trustAnchors().size());
    }

    @Test
    void aCertificateForAnotherKeyIsRefusedAndNothingStored() throws Exception {
        var store = new IdentityStore(stateDir);
        var keys = store.bootstrapKey();
        var other = DeviceKeys.generate();
        assertThrows(GeneralSecurityException.class, () -> store.save(CLUSTER, keys, issue(other), List.of()));
        assertTrue(store.load().isEmpty());
    }

    @Test
    void aRenewalInterruptedBeforeTheKeyMovedIsCompletedOnLoad() throws Exception {
        var store = new IdentityStore(stateDir);
        var keys = store.bootstrapKey();
        store.save(CLUSTER, keys, issue(keys), List.of());
        var renewal = store.renewalKey();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                stateDir.resolve("identity/device.key.next"))));
        // Store the new certificate as save() does, but "crash" before the key is moved into place.
        var identityFile = stateDir.resolve("identity/identity.json");
        var keyBefore = Files.readString(store.keyFile());
        store.save(CLUSTER, renewal, issue(renewal), List.of());
        Files.writeString(stateDir.resolve("identity/device.key.next"), Files.readString(store.keyFile()));
        Files.writeString(store.keyFile(), keyBefore);
        assertTrue(Files.exists(identityFile));

        var loaded = new IdentityStore(stateDir).load().orElseThrow();
        assertArrayEquals(renewal.getPublic().getEncoded(), loaded.keys().getPublic().getEncoded());
        assertFalse(Files.exists(stateDir.resolve("identity/device.key.next")), "the renewal key moved into place");
    }

    private CertificateResponse issue(KeyPair keys) {
        var certificate = pki.issueClient(DeviceKeys.csr(keys, CLUSTER), Duration.ofDays(1));
        return new CertificateResponse(certificate, pki.caPem(), pki.signingKeyPem(),
                Instant.now().plus(Duration.ofHours(16)).toString());
    }
}
