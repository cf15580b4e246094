package io.edgebridge.operator.identity;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Issues certificates from the operator's CA: client certificates for edge proxies (from a CSR,
 * so the device's key never leaves it) and the hub's own TLS server certificate.
 */
public final class CertificateIssuer {

    private final CertificateAuthority.Loaded ca;

    public CertificateIssuer(CertificateAuthority.Loaded ca) {
        this.ca = ca;
    }

    /** A CSR that is not acceptable; the message says why, for a 400 answer. */
    public static final class BadRequestException extends Exception {
        public BadRequestException(String message) {
            super(message);
        }
    }

    /**
     * A client certificate for the edge cluster {@code clusterId} (subject CN) bound to the cluster
     * object's uid (subject OU), so a re-created cluster of the same name does not accept it.
     */
    public X509Certificate issueClient(String csrPem, String clusterId, String clusterUid, Duration validity)
            throws BadRequestException {
        var csr = parse(csrPem);
        try {
            // Key factories by OID are not in the JDK's providers; the PEM converter maps names.
            PublicKey key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                    .getPublicKey(csr.getSubjectPublicKeyInfo());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new BadRequestException("the CSR's signature does not verify");
            }
            requireStrong(key);
            var subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "EdgeBridge").addRDN(BCStyle.OU, clusterUid).addRDN(BCStyle.CN, clusterId)
                    .build();
            var now = Instant.now();
            org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new JcaX509CertificateHolder(ca.certificate()).getSubject(),
                    serial(), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return sign(builder);
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException | IOException e) {
            throw new BadRequestException("the CSR cannot be used: " + e.getMessage());
        }
    }

    /** The hub's TLS server certificate with a fresh key, for the given DNS names and IP addresses. */
    public ServerIdentity issueServer(Collection<String> names, Duration validity) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            List<GeneralName> alternatives = new ArrayList<>();
            for (var name : names) {
                alternatives.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name));
            }
            var now = Instant.now();
            org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new JcaX509CertificateHolder(ca.certificate()).getSubject(),
                    serial(), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "edgebridge-hub").build(),
                    pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            return new ServerIdentity(sign(builder), pair);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue the hub's server certificate", e);
        }
    }

    /** A certificate with its private key. */
    public record ServerIdentity(X509Certificate certificate, KeyPair keyPair) {
    }

    private X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder)
            throws OperatorCreationException, GeneralSecurityException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /** SHA-256 (hex) of the public key a CSR asks a certificate for: who traded a bootstrap token. */
    public static String publicKeySha256(String csrPem) throws BadRequestException {
        try {
            var info = parse(csrPem).getSubjectPublicKeyInfo().getEncoded();
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(info));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new BadRequestException("csr has no readable public key");
        }
    }

    private static org.bouncycastle.pkcs.PKCS10CertificationRequest parse(String pem) throws BadRequestException {
        if (pem == null || pem.isBlank()) {
            throw new BadRequestException("csr is required");
        }
        try (var parser = new PEMParser(new StringReader(pem))) {
            var object = parser.readObject();
            if (object instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest csr) {
                return csr;
            }
        } catch (IOException | RuntimeException e) {
            throw new BadRequestException("csr is not a PEM certificate request");
        }
        throw new BadRequestException("csr is not a PEM certificate request");
    }

    private static void requireStrong(PublicKey key) throws BadRequestException {
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() >= 256) {
            return;
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
            return;
        }
        throw new BadRequestException("the key must be EC P-256 or stronger, or RSA of at least 2048 bits");
    }

    private static boolean isAddress(String name) {
        if (!name.matches("[0-9a-fA-F:.]+") || !(name.contains(":") || name.matches("[0-9.]+"))) {
            return false;
        }
        try {
            InetAddress.getByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static BigInteger serial() {
        return new BigInteger(96, new SecureRandom());
    }
}
