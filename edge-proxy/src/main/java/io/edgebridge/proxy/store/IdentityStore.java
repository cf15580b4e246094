package io.edgebridge.proxy.store;

import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.proxy.identity.DeviceKeys;
import io.edgebridge.proxy.identity.ECKeys;
import io.edgebridge.proxy.identity.Identity;
import io.edgebridge.proxy.identity.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The device's identity on disk, under {@code <state dir>/identity}:
 * <ul>
 * <li>{@code device.key}: the private key (PKCS#8 PEM, mode 0600), made here, never sent anywhere;</li>
 * <li>{@code device.key.next}: the key of a renewal in progress;</li>
 * <li>{@code identity.json}: certificate, CA bundle, bundle signing key and renewal time, checksummed.</li>
 * </ul>
 * A renewal writes the new certificate first and then moves the new key into place; a crash in
 * between is repaired on load by picking the key that matches the certificate.
 */
public final class IdentityStore {

    private static final Logger LOG = Logger.getLogger(IdentityStore.class);

    private final Path directory;
    private final Path key;
    private final Path nextKey;
    private final ChecksummedFile identityFile;

    public IdentityStore(Path stateDirectory) {
        this.directory = stateDirectory.resolve("identity");
        this.key = directory.resolve("device.key");
        this.nextKey = directory.resolve("device.key.next");
        this.identityFile = new ChecksummedFile(directory.resolve("identity.json"));
    }

    public Path keyFile() {
        return key;
    }

    /** What identity.json holds. */
    record StoredIdentity(String cluster, String certificate, String caBundle, String bundleSigningKey,
            String renewAfter) {
    }

    /** The stored identity, or empty when there is none usable (then the proxy bootstraps). */
    public Optional<Identity> load() throws IOException {
        var bytes = identityFile.read();
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            var stored = StateJson.MAPPER.readValue(bytes.get().content(), StoredIdentity.class);
            var chain = Pem.certificates(stored.certificate());
            var keys = matchingKey(chain.get(0).getPublicKey());
            if (keys.isEmpty()) {
                LOG.errorf("No private key in %s matches the stored certificate; a new bootstrap is needed", directory);
                return Optional.empty();
            }
            return Optional.of(new Identity(stored.cluster(), keys.get(), chain, Pem.certificates(stored.caBundle()),
                    Pem.publicKey(stored.bundleSigningKey()), renewAfter(stored.renewAfter(), chain.get(0))));
        } catch (GeneralSecurityException | IOException e) {
            LOG.errorf("The stored identity in %s cannot be read (%s); a new bootstrap is needed", directory,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The key to bootstrap with: the one made earlier for an unfinished bootstrap, else a new one. */
    public KeyPair bootstrapKey() throws IOException {
        var existing = readKey(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        var keys = DeviceKeys.generate();
        writeKey(key, keys.getPrivate());
        return keys;
    }

    /** A new key for a renewal, on disk before its CSR leaves the device. */
    public KeyPair renewalKey() throws IOException {
        var keys = DeviceKeys.generate();
        writeKey(nextKey, keys.getPrivate());
        return keys;
    }

    /**
     * Stores a certificate the hub issued for {@code keys} (the bootstrap key or a renewal key).
     *
     * @param fallbackTrust the CA from the bootstrap secret, used when the hub sends no CA bundle
     * @throws GeneralSecurityException when the response is unusable; nothing is stored then
     */
    public Identity save(String cluster, KeyPair keys, CertificateResponse response, List<X509Certificate> fallbackTrust)
            throws GeneralSecurityException, IOException {
        var chain = Pem.certificates(response.certificate());
        if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
            throw new GeneralSecurityException("the hub returned a certificate for another key");
        }
        // No check of the validity period here: edge devices often boot with a wrong clock, and the
        // hub judges the certificate by its own.
        var caBundle = response.caBundle() != null && !response.caBundle().isBlank() ? response.caBundle()
                : fallbackTrust.stream().map(Pem::encode).reduce("", String::concat);
        var trust = Pem.certificates(caBundle);
        var signingKey = Pem.publicKey(response.bundleSigningKey());
        var renewAfter = renewAfter(response.renewAfter(), chain.get(0));
        var stored = new StoredIdentity(cluster, response.certificate(), caBundle, response.bundleSigningKey(),
                renewAfter.toString());
        AtomicFiles.ensureDirectory(directory);
        identityFile.write(StateJson.MAPPER.writeValueAsBytes(stored));
        if (Files.exists(nextKey) && keyMatches(nextKey, keys.getPublic())) {
            AtomicFiles.move(nextKey, key);
        }
        return new Identity(cluster, keys, chain, trust, signingKey, renewAfter);
    }

    /** The current or the renewal key, whichever the certificate was issued for. */
    private Optional<KeyPair> matchingKey(PublicKey certified) throws IOException, GeneralSecurityException {
        var current = readKey(key);
        if (current.isPresent() && Arrays.equals(current.get().getPublic().getEncoded(), certified.getEncoded())) {
            return current;
        }
        var next = readKey(nextKey);
        if (next.isPresent() && Arrays.equals(next.get().getPublic().getEncoded(), certified.getEncoded())) {
            // A renewal stored its certificate, then stopped before moving its key into place.
            AtomicFiles.move(nextKey, key);
            LOG.info("Completed an interrupted certificate renewal");
            return next;
        }
        return Optional.empty();
    }

    private boolean keyMatches(Path file, PublicKey expected) throws IOException {
        var keys = readKey(file);
        return keys.isPresent() && Arrays.equals(keys.get().getPublic().getEncoded(), expected.getEncoded());
    }

    private Optional<KeyPair> readKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            var privateKey = Pem.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
            return Optional.of(new KeyPair(ECKeys.publicKeyOf(privateKey), privateKey));
        } catch (GeneralSecurityException e) {
            LOG.errorf("The key in %s cannot be read (%s); it is replaced", file, e.getMessage());
            return Optional.empty();
        }
    }

    private void writeKey(Path file, PrivateKey privateKey) throws IOException {
        AtomicFiles.ensureDirectory(directory);
        AtomicFiles.write(file, Pem.encode(privateKey).getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
    }

    /** The hub's renewal time, or two thirds into the certificate's life when it sent none. */
    private static Instant renewAfter(String value, X509Certificate certificate) {
        if (value != null && !value.isBlank()) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                LOG.warnf("Ignoring renewAfter %s: not an RFC 3339 time", value);
            }
        }
        var from = certificate.getNotBefore().toInstant();
        var to = certificate.getNotAfter().toInstant();
        return from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
    }
}
