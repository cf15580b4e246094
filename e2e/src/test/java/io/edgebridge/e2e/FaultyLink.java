package io.edgebridge.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP link between an edge proxy and the hub, on loopback, that misbehaves on demand: it can be
 * down (connections refused and cut), blackholed (connections accepted, bytes vanish, nothing is
 * reset: a half-open link), slow (latency with jitter), thin (a bandwidth cap) or flaky (random
 * resets). Bounded: it only ever connects to the one loopback target it was given.
 */
final class FaultyLink implements AutoCloseable {

    /** How the link behaves now. */
    enum Mode {
        UP, DOWN, BLACKHOLE
    }

    private static final int CHUNK = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "faulty-link");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.UP;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration jitter = Duration.ZERO;
    private volatile long bytesPerSecond;
    private volatile double resetProbability;
    private final AtomicLong accepted = new AtomicLong();

    FaultyLink(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    long connectionsAccepted() {
        return accepted.get();
    }

    /** Down cuts every open connection (a reset) and refuses new ones until the link is up again. */
    void mode(Mode next) {
        mode = next;
        if (next == Mode.DOWN) {
            open.forEach(FaultyLink::closeQuietly);
        }
    }

    void latency(Duration base, Duration jitterUpTo) {
        latency = base;
        jitter = jitterUpTo;
    }

    /** 0: no cap. */
    void bandwidth(long bytesPerSecondCap) {
        bytesPerSecond = bytesPerSecondCap;
    }

    /** Chance that a chunk in flight makes the link reset its connection. */
    void resets(double probability) {
        resetProbability = probability;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                var client = listener.accept();
                if (mode == Mode.DOWN) {
                    client.setSoLinger(true, 0); // an RST, like a refused or dropped path
                    client.close();
                    continue;
                }
                accepted.incrementAndGet();
                open.add(client);
                threads.execute(() -> connect(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        try (var upstream = new Socket()) {
            upstream.connect(target, 5_000);
            open.add(upstream);
            threads.execute(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Copies bytes one way, applying the link's current faults to every chunk. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            var buffer = new byte[CHUNK];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (mode == Mode.BLACKHOLE) {
                    continue; // swallowed: neither side learns anything
                }
                if (resetProbability > 0 && ThreadLocalRandom.current().nextDouble() < resetProbability) {
                    from.setSoLinger(true, 0);
                    to.setSoLinger(true, 0);
                    return;
                }
                delay(read);
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or reset: close the other too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private void delay(int bytes) {
        long millis = latency.toMillis();
        if (!jitter.isZero()) {
            millis += ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
        }
        if (bytesPerSecond > 0) {
            millis += bytes * 1000L / bytesPerSecond;
        }
        if (millis > 0) {
            try {
                // The link itself is slow: this thread is the wire, sleeping is what it models.
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(FaultyLink::closeQuietly);
        threads.shutdownNow();
    }
}
