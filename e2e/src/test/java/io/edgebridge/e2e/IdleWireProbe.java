package io.edgebridge.e2e;

import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.sync.HubClient;
import io.edgebridge.proxy.sync.SyncReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of one idle sync round trip, measured on a real connection to the hub: a forwarder on
 * the way counts what passes and reads the TLS record headers, so both the bytes on the wire and
 * the HTTP bytes inside (request and response, headers included) are known.
 */
final class IdleWireProbe implements AutoCloseable {

    /** TLS 1.3 application data: the record's content type byte and the 16-byte AEAD tag. */
    private static final int TLS13_RECORD_OVERHEAD = 17;
    private static final int TLS_HEADER = 5;

    record Figures(double httpBytes, double wireBytes, double httpBytesUp) {
    }

    private final ServerSocket listener;
    private final InetSocketAddress hub;
    private final AtomicLong wire = new AtomicLong();
    private final AtomicLong http = new AtomicLong();
    private final AtomicLong httpUp = new AtomicLong();

    private IdleWireProbe(InetSocketAddress hub) throws IOException {
        this.hub = hub;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        var accept = new Thread(this::accept, "idle-wire-probe");
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Two idle round trips after a first one that sets the connection up (TLS handshake and session
     * tickets are not part of an idle sync); each waits for the hub's long-poll to end.
     */
    static Figures measure(SimulatedProxy proxy, URI hubUrl, int roundTrips) throws Exception {
        try (var probe = new IdleWireProbe(new InetSocketAddress(hubUrl.getHost(), hubUrl.getPort()))) {
            var client = proxy.newClient(URI.create("https://localhost:" + probe.listener.getLocalPort()));
            var held = proxy.held();
            SyncReply first = client.sync(proxy.cluster(), new SyncRequest(held.known(), held.stateHash(), "probe",
                    null)).await();
            probe.wire.set(0);
            probe.http.set(0);
            probe.httpUp.set(0);
            for (int i = 0; i < roundTrips; i++) {
                var reply = client.sync(proxy.cluster(), new SyncRequest(null, first.stateHash(),
                        first.epoch(), null)).await();
                if (!reply.changed().isEmpty() || !reply.removed().isEmpty()) {
                    throw new IllegalStateException("the fleet was not idle during the probe");
                }
            }
            return new Figures((double) probe.http.get() / roundTrips, (double) probe.wire.get() / roundTrips,
                    (double) probe.httpUp.get() / roundTrips);
        }
    }

    private void accept() {
        try (var downstream = listener.accept(); var upstream = new Socket()) {
            upstream.connect(hub, 10_000);
            var up = pump(downstream.getInputStream(), upstream.getOutputStream(), "probe-up", httpUp);
            pump(upstream.getInputStream(), downstream.getOutputStream(), "probe-down", new AtomicLong()).join();
            up.join();
        } catch (IOException | InterruptedException closed) {
            // the probe is over
        }
    }

    private Thread pump(InputStream in, OutputStream out, String name, AtomicLong direction) {
        var thread = new Thread(() -> {
            var records = new RecordCounter();
            var buffer = new byte[16 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    wire.addAndGet(read);
                    long plain = records.plaintext(buffer, read);
                    http.addAndGet(plain);
                    direction.addAndGet(plain);
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

    /** Follows TLS record boundaries through a byte stream; counts the plaintext of application data records. */
    private static final class RecordCounter {
        private final byte[] header = new byte[TLS_HEADER];
        private int headerRead;
        private int bodyLeft;

        long plaintext(byte[] data, int length) {
            long plain = 0;
            int i = 0;
            while (i < length) {
                if (bodyLeft > 0) {
                    int take = Math.min(bodyLeft, length - i);
                    bodyLeft -= take;
                    i += take;
                    continue;
                }
                header[headerRead++] = data[i++];
                if (headerRead == TLS_HEADER) {
                    headerRead = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (header[0] == 23) {
                        plain += bodyLeft - TLS13_RECORD_OVERHEAD;
                    }
                }
            }
            return plain;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    static Map<String, Number> asResults(Figures figures) {
        return Map.of("idle_bytes_per_sync", Math.round(figures.httpBytes()),
                "idle_bytes_per_sync_request", Math.round(figures.httpBytesUp()),
                "idle_wire_bytes_per_sync", Math.round(figures.wireBytes()));
    }
}
