package io.edgebridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.sync.v1.BootstrapRequest;
import io.edgebridge.api.sync.v1.CertificateResponse;
import io.edgebridge.api.sync.v1.SyncPaths;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.identity.DeviceKeys;
import io.edgebridge.proxy.identity.Identity;
import io.edgebridge.proxy.identity.Pem;
import io.edgebridge.proxy.identity.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;

/**
 * The hub's sync API on the wire, as an edge proxy speaks it, for tests of what the hub refuses:
 * it can present one cluster's certificate on another cluster's path, which the real proxy never
 * does. Keys and CSRs are made by the edge proxy's own code.
 */
final class WireClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String hubUrl;
    private final String caBundle;
    private final String cluster;
    private final KeyPair keys = DeviceKeys.generate();
    private HttpClient http;

    /** A response: status code and body. */
    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** @param cluster the identity it enrols as, {@code <namespace>.<name>} */
    WireClient(String hubUrl, String caBundle, String cluster) throws GeneralSecurityException {
        this.hubUrl = hubUrl;
        this.caBundle = caBundle;
        this.cluster = cluster;
        this.http = client(TlsContexts.trusting(Pem.certificates(caBundle)).sslContext());
    }

    /** Trades a bootstrap token for a certificate; from then on every call presents it. */
    Answer bootstrap(String token) throws Exception {
        var answer = post(SyncPaths.BOOTSTRAP, new BootstrapRequest(cluster, token, DeviceKeys.csr(keys, cluster)));
        if (answer.status() == 200) {
            var certificate = JSON.readValue(answer.body(), CertificateResponse.class);
            var identity = new Identity(cluster, keys, Pem.certificates(certificate.certificate()),
                    Pem.certificates(caBundle), Pem.publicKey(certificate.bundleSigningKey()),
                    Instant.parse(certificate.renewAfter()));
            http = client(TlsContexts.mutual(identity).sslContext());
        }
        return answer;
    }

    /** A sync for {@code targetCluster} (any cluster's path, whoever this client is). */
    Answer sync(String targetCluster, SyncRequest request) throws Exception {
        return post(SyncPaths.sync(targetCluster), request);
    }

    private Answer post(String path, Object body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(hubUrl + path))
                // Longer than the hub's long-poll, which answers an unchanged state at its end.
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
