package io.edgebridge.operator.hub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.sync.v1.SyncPaths;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.api.sync.v1.SyncResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A minimal client of the hub for its tests: what an edge proxy does on the wire, nothing more.
 * (The real proxy lives in edge-proxy/ and is tested against the hub end to end in e2e/.)
 */
final class TestProxy {

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            false);

    final String cluster;
    final int port;
    final String caPem;
    final KeyPair keys;
    HttpClient client;
    CertificateResponse certificate;

    TestProxy(String cluster, int port, String caPem) throws Exception {
        this.cluster = cluster;
        this.port = port;
        this.caPem = caPem;
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        this.keys = generator.generateKeyPair();
        this.client = client(null);
    }

    /** A response: status code and body. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        <T> T as(Class<T> type) throws IOException {
            return JSON.readValue(body, type);
        }
    }

    Answer bootstrap(String token) throws Exception {
        var answer = post(SyncPaths.BOOTSTRAP, new BootstrapRequest(cluster, token, csr()));
        if (answer.status() == 200) {
            certificate = answer.as(CertificateResponse.class);
            client = client(certificate.certificate());
        }
        return answer;
    }

    /** Trades the current certificate for a new one, and uses that from now on. */
    void renew() throws Exception {
        var answer = post(SyncPaths.renew(cluster), new io.edgebridge.api.sync.v1.RenewRequest(csr()));
        if (answer.status() != 200) {
            throw new AssertionError("renewal answered " + answer.status() + ": " + answer.body());
        }
        certificate = answer.as(CertificateResponse.class);
        client = client(certificate.certificate());
    }

    Answer sync(SyncRequest request) throws Exception {
        return post(SyncPaths.sync(cluster), request);
    }

    SyncResponse syncOk(SyncRequest request) throws Exception {
        var answer = sync(request);
        if (answer.status() != 200) {
            throw new AssertionError("sync answered " + answer.status() + ": " + answer.body());
        }
        return answer.as(SyncResponse.class);
    }

    Answer post(String path, Object body) throws Exception {
        return post(path, JSON.writeValueAsBytes(body));
    }

    Answer post(String path, byte[] body) throws Exception {
        var response = client.send(request(path, body).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** A POST whose body goes gzipped, as the edge proxy sends bodies above a kilobyte. */
    Answer postGzipped(String path, byte[] plain) throws Exception {
        var packed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(packed)) {
            gzip.write(plain);
        }
        return postEncoded(path, packed.toByteArray(), "gzip");
    }

    /** A POST whose body says it is in {@code encoding}. */
    Answer postEncoded(String path, byte[] body, String encoding) throws Exception {
        var request = request(path, body).header("Content-Encoding", encoding);
        var response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** A call with another method than the sync API's POST. */
    Answer call(String method, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(90)).method(method, HttpRequest.BodyPublishers.noBody());
        var response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    private HttpRequest.Builder request(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** A sync that accepts gzip, as the edge proxy's does: the answer's body as sent, and its encoding. */
    HttpResponse<byte[]> syncAcceptingGzip(SyncRequest sync) throws Exception {
        var request = request(SyncPaths.sync(cluster), JSON.writeValueAsBytes(sync)).header("Accept-Encoding", "gzip");
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String csr() throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cluster), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        }
        return out.toString();
    }

    /** A TLS context trusting the hub's CA ({@code caPem}), presenting nothing. */
    static SSLContext trusting(String caPem) throws Exception {
        var context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(caPem).getTrustManagers(), null);
        return context;
    }

    private static TrustManagerFactory trustManagers(String caPem) throws Exception {
        var trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        return trustManagers;
    }

    /** An HTTPS client trusting the hub's CA, presenting {@code certificatePem} when given. */
    private HttpClient client(String certificatePem) throws Exception {
        var factory = CertificateFactory.getInstance("X.509");
        var trustManagers = trustManagers(caPem);
        var context = SSLContext.getInstance("TLS");
        KeyManagerFactory keyManagers = null;
        if (certificatePem != null) {
            var identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            Certificate certificate = factory.generateCertificate(
                    new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            identity.setKeyEntry("proxy", keys.getPrivate(), new char[0], new Certificate[] {certificate});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(identity, new char[0]);
        }
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
