package io.edgebridge.e2e;

import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.report.ProxyMetrics;
import io.edgebridge.proxy.sync.HubClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of one idle sync round trip. On a real connection to the hub, a forwarder on the way
 * counts the bytes on the wire (TLS included). The HTTP bytes inside are taken exactly: the request
 * as the proxy's client writes it (the same call, once more to a plain socket that records it),
 * and the hub's answer to an idle long-poll (status line and headers, no body).
 */
final class IdleWireProbe implements AutoCloseable {

    record Figures(long httpRequest, long httpResponse, double wireBytes) {
    }

    private final ServerSocket listener;
    private final InetSocketAddress hub;
    private final AtomicLong wire = new AtomicLong();

    private IdleWireProbe(InetSocketAddress hub) throws IOException {
        this.hub = hub;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        var accept = new Thread(this::accept, "idle-wire-probe");
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Idle round trips after a first one that sets the connection up (the TLS handshake and session
     * tickets are not part of an idle sync); each waits for the hub's long-poll to end.
     */
    static Figures measure(SimulatedProxy proxy, URI hubUrl, int roundTrips) throws Exception {
        try (var probe = new IdleWireProbe(new InetSocketAddress(hubUrl.getHost(), hubUrl.getPort()))) {
            var address = URI.create("https://localhost:" + probe.listener.getLocalPort());
            var client = proxy.newClient(address);
            var held = proxy.held();
            var first = client.sync(proxy.cluster(), new SyncRequest(held.known(), held.stateHash(), "probe", null))
                    .await();
            var idle = new SyncRequest(null, first.stateHash(), first.epoch(), null);
            var response = new AtomicLong();
            probe.wire.set(0);
            for (int i = 0; i < roundTrips; i++) {
                var reply = client.sync(proxy.cluster(), idle).await();
                if (!reply.changed().isEmpty() || !reply.removed().isEmpty()) {
                    throw new IllegalStateException("the fleet was not idle during the probe");
                }
            }
            long wirePerRoundTrip = probe.wire.get() / roundTrips;
            client.close();
            response.set(idleAnswerBytes(proxy, hubUrl, idle));
            return new Figures(requestBytes(proxy, address, idle), response.get(), wirePerRoundTrip);
        }
    }

    /** The request exactly as the proxy's client writes it for this address (Host header included). */
    private static long requestBytes(SimulatedProxy proxy, URI address, SyncRequest request) throws Exception {
        var cluster = proxy.cluster();
        try (var capture = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var recorded = new AtomicLong();
            var thread = new Thread(() -> {
                try (var socket = capture.accept()) {
                    socket.setSoTimeout(10_000);
                    recorded.set(readRequest(socket.getInputStream()));
                    socket.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    recorded.set(-1);
                }
            }, "idle-request-capture");
            thread.start();
            // Same class, same headers; only the scheme differs (and the port in the Host header, corrected for).
            var plain = new HubClient(proxy.vertx(), URI.create("http://" + address.getHost() + ":"
                    + capture.getLocalPort()), null, new HubClient.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                    new ProxyMetrics(new SimpleMeterRegistry(), cluster));
            plain.sync(cluster, request).await();
            plain.close();
            thread.join(10_000);
            return recorded.get() + Integer.toString(address.getPort()).length()
                    - Integer.toString(capture.getLocalPort()).length();
        }
    }

    /** Status line and headers of the hub's answer to an idle long-poll, as it sent them. */
    private static long idleAnswerBytes(SimulatedProxy proxy, URI hubUrl, SyncRequest idle) throws Exception {
        var http = HttpClient.newBuilder().sslContext(proxy.tls()).version(HttpClient.Version.HTTP_1_1).build();
        var body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(idle);
        var response = http.send(HttpRequest.newBuilder(hubUrl.resolve(
                        io.edgebridge.api.sync.v1.SyncPaths.sync(proxy.cluster())))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        var reason = Map.of(200, "OK", 204, "No Content").get(response.statusCode());
        if (reason == null) {
            throw new IllegalStateException("the hub answered an idle sync with " + response.statusCode());
        }
        long bytes = ("HTTP/1.1 " + response.statusCode() + " " + reason + "\r\n").length() + 2;
        for (var header : response.headers().map().entrySet()) {
            for (var value : header.getValue()) {
                bytes += header.getKey().length() + 2 + value.length() + 2;
            }
        }
        return bytes + response.body().length;
    }

    /** Reads one HTTP/1.1 request with a Content-Length body; returns its size in bytes. */
    private static long readRequest(InputStream in) throws IOException {
        var head = new StringBuilder();
        long size = 0;
        int b;
        while ((b = in.read()) >= 0) {
            size++;
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        long length = 0;
        for (var line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return size + in.readNBytes((int) length).length;
    }

    private void accept() {
        try (var downstream = listener.accept(); var upstream = new Socket()) {
            upstream.connect(hub, 10_000);
            var up = pump(downstream.getInputStream(), upstream.getOutputStream(), "probe-up");
            pump(upstream.getInputStream(), downstream.getOutputStream(), "probe-down").join();
            up.join();
        } catch (IOException | InterruptedException closed) {
            // the probe is over
        }
    }

    private Thread pump(InputStream in, OutputStream out, String name) {
        var thread = new Thread(() -> {
            var buffer = new byte[16 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    wire.addAndGet(read);
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side closed
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    static Map<String, Number> asResults(Figures figures) {
        return Map.of("idle_bytes_per_sync", figures.httpRequest() + figures.httpResponse(),
                "idle_bytes_per_sync_request", figures.httpRequest(),
                "idle_bytes_per_sync_response", figures.httpResponse(),
                "idle_wire_bytes_per_sync", Math.round(figures.wireBytes()));
    }
}
