package io.edgebridge.operator.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.operator.FleetFixture;
import io.edgebridge.operator.cluster.ClusterSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** A proxy that syncs faster than its token bucket allows is told to come back later, and when. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(HubBackPressureTest.TightLimits.class)
class HubBackPressureTest {

    /** One request every ten seconds, bursts of three; four connections. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgebridge.hub.requests-per-second", "0.1", "edgebridge.hub.request-burst", "3",
                    "edgebridge.hub.max-connections", "4");
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    HubServer hub;

    @Test
    void beyondTheBurstTheHubAnswers429WithRetryAfter() throws Exception {
        new FleetFixture(client).applyExamplesIn("hub-limit", "00", "10", "20");
        var token = new String(Base64.getDecoder().decode(await().atMost(Duration.ofSeconds(30)).until(() -> client
                .secrets().inNamespace("hub-limit").withName(ClusterSecrets.bootstrapTokenName("hamburg")).get(),
                Objects::nonNull).getData().get(ClusterSecrets.TOKEN_KEY)), StandardCharsets.UTF_8);
        var ca = new String(Base64.getDecoder().decode(client.secrets().inNamespace("edgebridge-system")
                .withName("edgebridge-ca").get().getData().get("tls.crt")), StandardCharsets.US_ASCII);
        var proxy = new TestProxy("hub-limit.hamburg", hub.port(), ca);
        assertEquals(200, proxy.bootstrap(token).status());

        // A changed epoch makes every answer immediate, so the burst is spent at once.
        var idle = new SyncRequest(Map.of(), null, "stale-epoch", null);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, proxy.sync(idle).status());
        }
        var refused = proxy.sync(idle);
        assertEquals(429, refused.status(), refused.body());
        var retryAfter = Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 10, "come back when a token is there: " + retryAfter);
    }

    @Test
    void beyondItsConnectionLimitTheHubClosesNewConnections() throws Exception {
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustingManager()}, null);
        List<SSLSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                var socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", hub.port());
                socket.setSoTimeout(1000);
                socket.startHandshake();
                sockets.add(socket);
            }
            long closedByHub = sockets.stream().filter(HubBackPressureTest::closedByPeer).count();
            assertTrue(closedByHub >= 2, "six connections against a limit of four: " + closedByHub + " closed");
            assertTrue(hub.openConnections() <= 4, "open: " + hub.openConnections());
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.openConnections() < 4);
        try (var again = (SSLSocket) tls.getSocketFactory().createSocket("localhost", hub.port())) {
            again.setSoTimeout(1000);
            again.startHandshake();
            assertFalse(closedByPeer(again), "room again once connections closed");
        }
    }

    private static boolean closedByPeer(SSLSocket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException closed) {
            return true;
        }
    }

    /** The hub's certificate is not what this test is about. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
