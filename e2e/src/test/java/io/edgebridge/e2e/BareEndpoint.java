package io.edgebridge.e2e;

import io.edgebridge.api.sync.v1.SyncResponse;
import io.edgebridge.proxy.store.DesiredState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The throughput baseline: a bare Vert.x HTTPS endpoint answering every POST with a fixed sync
 * response of the size the hub sends, and nothing else. It runs as its own process where the hub
 * runs (its network namespace), so both are reached the same way by the same client.
 */
final class BareEndpoint implements AutoCloseable {

    private final Process process;
    private final URI uri;

    private BareEndpoint(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Answers with what the hub answers a sync with a stale epoch: the state hash, no changes, its epoch. */
    /**
     * @param certificate PEM files of a server certificate for the hub's address, issued by the hub's
     *     CA: the client trusts it as it trusts the hub, and the TLS work is the same
     */
    static BareEndpoint start(DesiredState sample, HubNetwork network, Path certificate, Path key) throws Exception {
        var answer = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(
                new SyncResponse(sample.stateHash(), List.of(), List.of(), null, sample.epoch(), 0));
        var java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                BareEndpoint.class.getName(), Base64.getEncoder().encodeToString(answer), certificate.toString(),
                key.toString()));
        var process = new ProcessBuilder(network.wrap(command)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var ready = out.readLine();
        if (ready == null || !ready.startsWith("LISTENING ")) {
            process.destroyForcibly();
            throw new IOException("the bare endpoint did not start: " + ready);
        }
        return new BareEndpoint(process, URI.create("https://" + HubNetwork.HUB_ADDRESS + ":"
                + ready.substring("LISTENING ".length())));
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The endpoint process: listens, says where, and stops when its standard input closes. */
    public static void main(String[] args) throws Exception {
        QuietLogging.atInfo();
        var answer = Buffer.buffer(Base64.getDecoder().decode(args[0]));
        var vertx = Vertx.vertx();
        var server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(args[1]).setKeyPath(args[2])))
                .requestHandler(request -> request.body().onSuccess(body -> request.response()
                        .putHeader("Content-Type", "application/json").end(answer)));
        server.listen(0, "0.0.0.0").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("LISTENING " + server.actualPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the benchmark closes our input
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
