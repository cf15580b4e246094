package io.edgebridge.e2e;

import io.edgebridge.proxy.sync.HubClient;
import io.edgebridge.proxy.sync.SyncReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** Round trips per second with a fixed number of clients, each sending its next request when the last is answered. */
final class Throughput {

    private Throughput() {
    }

    static double measure(int clients, Duration duration, IntFunction<HubClient.Call<SyncReply>> request)
            throws Exception {
        // Warm up connections, TLS sessions and the JIT before counting.
        run(clients, Duration.ofSeconds(5), request);
        return run(clients, duration, request) / (duration.toMillis() / 1000.0);
    }

    private static long run(int clients, Duration duration, IntFunction<HubClient.Call<SyncReply>> request)
            throws Exception {
        var done = new AtomicLong();
        var failures = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        var threads = new ArrayList<Thread>();
        for (int k = 0; k < clients; k++) {
            int client = k;
            var thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        request.apply(client).await();
                        done.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }, "throughput-" + k);
            thread.start();
            threads.add(thread);
        }
        for (var thread : threads) {
            thread.join();
        }
        if (failures.get() > done.get() / 100) {
            throw new IllegalStateException(failures.get() + " of " + (done.get() + failures.get())
                    + " throughput requests failed");
        }
        return done.get();
    }
}
