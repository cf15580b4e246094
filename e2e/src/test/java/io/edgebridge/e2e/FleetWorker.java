package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

import io.edgebridge.proxy.report.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import io.edgebridge.operator.cluster.RegistrationManifest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slice of the fleet benchmark's simulated proxies in a process of its own: each proxy needs a
 * few file descriptors (its connection and its client's selector), and one process may open only
 * so many. Reports to the benchmark on standard output: {@code H cluster app revision sent received
 * handled held} (milliseconds) when a proxy first holds an app revision, {@code S connected syncs
 * bodyBytes mergeCpuNanos} and {@code E kind=failures,...} every second, and {@code G} after a full
 * collection asked for with {@code g} on its standard input. Stops when that input closes.
 */
public final class FleetWorker {

    private FleetWorker() {
    }

    /** The benchmark's side of a worker process. */
    static final class Handle implements AutoCloseable {
        private final Process process;
        final AtomicLong connected = new AtomicLong();
        final AtomicLong syncs = new AtomicLong();
        final AtomicLong bodyBytes = new AtomicLong();
        final AtomicLong mergeCpuNanos = new AtomicLong();
        /** Progress reports read: one read after an event includes that event's effects. */
        final AtomicLong reportsRead = new AtomicLong();
        /** Collections asked for by {@link #collectGarbage()} and done. */
        final AtomicLong collections = new AtomicLong();
        /** The worker's failed syncs by kind, {@code kind=count,...}. */
        volatile String failures = "";

        private Handle(Process process, SimulatedProxy.Observer observer) {
            this.process = process;
            var reader = new Thread(() -> read(observer), "fleet-worker-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        static Handle start(URI hub, Path caFile, Path tokensFile, int from, int to, Path stateDir,
                SimulatedProxy.Observer observer, Path log) throws IOException {
            var java = ProcessHandle.current().info().command().orElse("java");
            var command = new java.util.ArrayList<>(List.of(java, "-Xmx4g", "-XX:+UseParallelGC",
                    // A worker's collections stop its thousands of proxies at once: when a stage looks slow, look here.
                    "-Xlog:gc:file=" + log.resolveSibling("worker-" + from + "-gc.log")));
            if (Boolean.getBoolean("bench.profile")) {
                // Where a simulated proxy's CPU goes, next to the operator's recording.
                command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + log.resolveSibling("worker-" + from + ".jfr"));
            }
            // TLS as the proxy's manifest configures it (its JVM flags).
            RegistrationManifest.proxyTlsProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", FleetWorker.class.getName(),
                    hub.toString(), caFile.toString(), tokensFile.toString(), Integer.toString(from),
                    Integer.toString(to), stateDir.toString()));
            var process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            return new Handle(process, observer);
        }

        private void read(SimulatedProxy.Observer observer) {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    var parts = line.split(" ");
                    if (parts[0].equals("H") && parts.length == 8) {
                        observer.holds(parts[1], parts[2], parts[3], Long.parseLong(parts[4]), Long.parseLong(parts[5]),
                                Long.parseLong(parts[6]), Long.parseLong(parts[7]));
                    } else if (parts[0].equals("G")) {
                        collections.incrementAndGet();
                    } else if (parts[0].equals("E") && parts.length == 2) {
                        failures = parts[1];
                    } else if (parts[0].equals("S") && parts.length == 5) {
                        connected.set(Long.parseLong(parts[1]));
                        syncs.set(Long.parseLong(parts[2]));
                        bodyBytes.set(Long.parseLong(parts[3]));
                        mergeCpuNanos.set(Long.parseLong(parts[4]));
                        reportsRead.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the worker is gone
            }
        }

        /** Asks the worker for a full collection; {@link #collections} counts it once done. */
        void collectGarbage() throws IOException {
            process.getOutputStream().write('g');
            process.getOutputStream().flush();
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger ENROLL_ERRORS =
            new java.util.concurrent.atomic.AtomicInteger();

    public static void main(String[] args) throws Exception {
        QuietLogging.atInfo();
        var hub = URI.create(args[0]);
        var caBundle = Files.readString(Path.of(args[1]));
        Map<String, String> tokens = new HashMap<>();
        for (var line : Files.readAllLines(Path.of(args[2]))) {
            var parts = line.split(" ");
            tokens.put(parts[0], parts[1]);
        }
        int from = Integer.parseInt(args[3]);
        int to = Integer.parseInt(args[4]);
        var stateDir = Path.of(args[5]);
        var out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        // Lines go out from a thread of their own: a proxy's thread that wrote to the pipe itself waited
        // whenever the benchmark read behind, and its answers waited with it (measured as hand-off time).
        var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
        var writer = new Thread(() -> {
            var batch = new ArrayList<String>();
            try {
                while (true) {
                    batch.add(lines.take());
                    lines.drainTo(batch);
                    batch.forEach(out::println);
                    out.flush();
                    batch.clear();
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            }
        }, "worker-out");
        writer.setDaemon(true);
        writer.start();
        SimulatedProxy.Observer observer = (cluster, app, revision, sent, received, handled, held) -> lines.add("H "
                + cluster + " " + app + " " + revision + " " + sent + " " + received + " " + handled + " " + held);
        var registry = new SimpleMeterRegistry();
        var metrics = new ProxyMetrics(registry, "bench");
        var loop = Executors.newScheduledThreadPool(2, FleetBenchmark.daemon("proxy-loop"));
        // Two event loops carry every proxy's hub client: a thread each would cost more than the proxies.
        var io = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        List<SimulatedProxy> proxies = new ArrayList<>();
        for (int i = from; i < to; i++) {
            var name = "c-%05d".formatted(i);
            proxies.add(new SimulatedProxy(FleetBenchmark.FLEET + "." + name, "n-%05d".formatted(i), hub, caBundle,
                    tokens.get(name), stateDir.resolve(name), metrics, io, loop, observer));
        }
        var reporter = Executors.newSingleThreadScheduledExecutor(FleetBenchmark.daemon("worker-report"));
        reporter.scheduleWithFixedDelay(() -> {
            long connected = proxies.stream().filter(p -> p.held().epoch() != null).count();
            long syncs = proxies.stream().mapToLong(SimulatedProxy::completedSyncs).sum();
            long bytes = (long) (registry.get("edgebridge.proxy.sent").counter().count()
                    + registry.get("edgebridge.proxy.received").counter().count());
            lines.add("S " + connected + " " + syncs + " " + bytes + " " + SimulatedProxy.mergeCpuNanos());
            var failures = SimulatedProxy.failures();
            if (!failures.isEmpty()) {
                lines.add("E " + failures);
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        FleetBenchmark.parallel(proxies.size(), i -> () -> {
            var proxy = proxies.get(i);
            await().atMost(Duration.ofMinutes(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> {
                        try {
                            proxy.enroll();
                            return true;
                        } catch (Exception e) {
                            // Retried, but a setup that stalls must say why (it once ran out of files).
                            if (ENROLL_ERRORS.getAndIncrement() < 10) {
                                System.err.println("Enrolling " + proxy.cluster() + " failed: " + e);
                            }
                            throw e;
                        }
                    });
            proxy.start();
        });
        int command;
        while ((command = System.in.read()) >= 0) {
            // 'g': collect now, before a measured stage; until the benchmark closes our input
            if (command == 'g') {
                System.gc();
                lines.add("G");
            }
        }
        proxies.forEach(SimulatedProxy::close);
        System.exit(0);
    }
}
