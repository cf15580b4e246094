package io.edgebridge.proxy.testing;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.SignedBundle;
import io.edgebridge.proxy.identity.DeviceKeys;
import io.edgebridge.proxy.identity.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A CA, a hub server certificate for localhost, and a bundle signing key, as the hub would have them. */
public final class TestPki {

    private final KeyPair caKeys = DeviceKeys.generate();
    private final X509Certificate ca;
    private final KeyPair serverKeys = DeviceKeys.generate();
    private final X509Certificate server;
    private final KeyPair signingKeys = DeviceKeys.generate();

    public TestPki() {
        try {
            var caName = new X500Name("CN=Test EdgeBridge CA");
            var now = Instant.now();
            ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(Duration.ofDays(1))), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            server = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=edgebridge-hub"), serverKeys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1") }))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String caPem() {
        return Pem.encode(ca);
    }

    public String serverCertificatePem() {
        return Pem.encode(server);
    }

    public String serverKeyPem() {
        return Pem.encode(serverKeys.getPrivate());
    }

    public String signingKeyPem() {
        return Pem.encode(signingKeys.getPublic());
    }

    public KeyPair signingKeys() {
        return signingKeys;
    }

    /** Signs a CSR (PEM) as a client certificate valid for {@code validity}; returns the certificate PEM. */
    public String issueClient(String csrPem, Duration validity) {
        try (var parser = new PEMParser(new StringReader(csrPem))) {
            var csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
            var now = Instant.now();
            var certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    new X500Name("CN=Test EdgeBridge CA"), serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(validity)), csr.getSubject(), csr.getPublicKey())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            return Pem.encode(certificate);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The subject CN of a certificate. */
    public static String commonName(X509Certificate certificate) {
        var name = new X500Name(certificate.getSubjectX500Principal().getName());
        return IETFUtils.valueToString(name.getRDNs(BCStyle.CN)[0].getFirst().getValue());
    }

    public SignedBundle sign(AppBundle bundle) {
        return sign(bundle, signingKeys);
    }

    public static SignedBundle sign(AppBundle bundle, KeyPair keys) {
        try {
            var signature = Signature.getInstance(SignedBundle.ALGORITHM);
            signature.initSign(keys.getPrivate());
            signature.update(CanonicalJson.bytes(bundle));
            return new SignedBundle(bundle, Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }
}
