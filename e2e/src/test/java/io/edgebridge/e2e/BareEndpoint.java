package io.edgebridge.e2e;

import io.edgebridge.api.sync.v1.SyncResponse;
import io.edgebridge.proxy.identity.TlsContexts;
import io.edgebridge.proxy.store.DesiredState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The throughput baseline: a bare Vert.x HTTPS endpoint that answers every POST with a fixed
 * sync response of the size the hub sends, and does nothing else.
 */
final class BareEndpoint implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");

    private BareEndpoint(byte[] answer) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(request -> request.body().onSuccess(body -> request.response()
                        .putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(answer))));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Answers with what the hub answers a sync with a stale epoch: the state hash, no changes, its epoch. */
    static BareEndpoint start(DesiredState sample) throws Exception {
        var answer = new SyncResponse(sample.stateHash(), List.of(), List.of(), null, sample.epoch(), 0);
        return new BareEndpoint(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(answer));
    }

    URI uri() {
        return URI.create("https://localhost:" + server.actualPort());
    }

    SSLContext clientTls() throws Exception {
        var pem = Files.readAllBytes(Path.of(certificate.certificatePath()));
        var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        return TlsContexts.trusting(List.of(certificate));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        certificate.delete();
    }
}
