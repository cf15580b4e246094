package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class PeerCertificatesTest {

    @Test
    void parsesACopyAndReadsNothingButTheEncodingOfTheConnectionsCertificate() throws Exception {
        var issued = selfSigned("CN=retail-eu.store-0042,OU=5f1c-uid");
        var reads = new AtomicInteger();
        var held = new EncodingOnly(issued.getEncoded(), reads);

        var leaf = PeerCertificates.leaf(List.of(held)).orElseThrow();

        assertEquals(issued.getSubjectX500Principal(), leaf.getSubjectX500Principal());
        assertEquals(issued.getSerialNumber(), leaf.getSerialNumber());
        assertEquals(1, reads.get(), "only getEncoded() of the held certificate is used");
    }

    @Test
    void noCertificateOrOneThatDoesNotParseGivesNone() throws Exception {
        assertTrue(PeerCertificates.leaf(List.of()).isEmpty());
        assertTrue(PeerCertificates.leaf(null).isEmpty());
        assertTrue(PeerCertificates.leaf(List.of(new EncodingOnly(new byte[] {0x30, 0x03, 0x02, 0x01}, new AtomicInteger())))
                .isEmpty());
    }

    private static X509Certificate selfSigned(String subject) throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var keys = generator.generateKeyPair();
        var now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(new X500Name(subject), BigInteger.valueOf(4242),
                Date.from(now), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /** Like Netty's lazily parsed certificate: anything but the encoding would parse and keep it. */
    private static final class EncodingOnly extends Certificate {
        private final byte[] encoded;
        private final AtomicInteger reads;

        EncodingOnly(byte[] encoded, AtomicInteger reads) {
            super("X.509");
            this.encoded = encoded;
            this.reads = reads;
        }

        @Override
        public byte[] getEncoded() throws CertificateEncodingException {
            reads.incrementAndGet();
            return encoded.clone();
        }

        @Override
        public void verify(PublicKey key) {
            throw new AssertionError("parsed the held certificate");
        }

        @Override
        public void verify(PublicKey key, String sigProvider) {
            throw new AssertionError("parsed the held certificate");
        }

        @Override
        public String toString() {
            throw new AssertionError("parsed the held certificate");
        }

        @Override
        public PublicKey getPublicKey() {
            throw new AssertionError("parsed the held certificate");
        }
    }
}
