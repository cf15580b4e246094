package io.edgebridge.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the figures of every benchmark ({@code *.json} in the bench directory) into
 * {@code results.json} and prints them as a table next to their targets.
 */
public final class BenchReport {

    /** A figure the issue sets a target for: at most (or at least) this much. */
    record Target(String key, String what, Double atMost, Double atLeast) {
        String verdict(Number value) {
            if (value == null) {
                return "not measured";
            }
            if (atMost != null) {
                return value.doubleValue() <= atMost ? "met (<= " + fmt(atMost) + ")" : "MISSED (<= " + fmt(atMost) + ")";
            }
            if (atLeast != null) {
                return value.doubleValue() >= atLeast ? "met (>= " + fmt(atLeast) + ")" : "MISSED (>= " + fmt(atLeast) + ")";
            }
            return "reported";
        }
    }

    static final List<Target> TARGETS = List.of(
            new Target("fanout_p99_ms_1000", "EdgeApp applied -> all 1,000 proxies hold it, p99 (ms)", 2000.0, null),
            new Target("fanout_p99_ms_10000", "EdgeApp applied -> all 10,000 proxies hold it, p99 (ms)", 5000.0, null),
            new Target("heal_s_10000", "10,000 proxies cut off, state changed, link back: all current (s)", 60.0, null),
            new Target("heal_full_relists", "full re-lists against the API server during that heal", 0.0, null),
            new Target("idle_bytes_per_sync", "HTTP bytes of one idle sync round trip, both directions", 300.0, null),
            new Target("api_writes_per_s_per_1000_idle", "API writes/s per 1,000 connected idle clusters", 1.0, null),
            new Target("hub_heap_bytes_per_cluster", "operator heap per connected idle cluster (bytes)", 8192.0, null),
            new Target("planner_placements_per_s", "placements planned per second (100 apps x 10,000 clusters)",
                    null, 100_000.0),
            new Target("hub_native_bytes_per_cluster", "operator memory outside the heap per connected cluster (TLS)",
                    null, null),
            new Target("proxy_rss_mib", "resident memory of one real edge-proxy process, idle (MiB)", 64.0, null),
            new Target("hub_sync_rps", "idle sync round trips per second the hub serves", null, null),
            new Target("baseline_rps", "bare Vert.x endpoint, same size, same client", null, null));

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        var dir = Path.of(System.getProperty("bench.dir", "target/bench"));
        var figures = merge(dir);
        Files.writeString(dir.resolve("results.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures) + "\n");
        System.out.println(table(figures));
    }

    static Map<String, Number> merge(Path dir) throws IOException {
        Map<String, Number> figures = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (var file : files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals("results.json")).sorted().toList()) {
                figures.putAll(new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, Number>>() {
                }));
            }
        }
        return figures;
    }

    static String table(Map<String, Number> figures) {
        var out = new StringBuilder(String.format("%-34s %14s  %-22s %s%n", "key", "value", "target", "what"));
        Map<String, Number> rest = new LinkedHashMap<>(figures);
        for (var target : TARGETS) {
            var value = rest.remove(target.key());
            out.append(String.format("%-34s %14s  %-22s %s%n", target.key(), value == null ? "-" : fmt(value),
                    target.verdict(value), target.what()));
        }
        var hub = figures.get("hub_sync_rps");
        var bare = figures.get("baseline_rps");
        if (hub != null && bare != null && bare.doubleValue() > 0) {
            out.append(String.format("%-34s %14s  %-22s %s%n", "(hub_sync_rps / baseline_rps)",
                    fmt(FleetBenchmark.round(hub.doubleValue() / bare.doubleValue(), 2)), "reported",
                    "the hub's share of a bare endpoint's throughput"));
        }
        rest.forEach((key, value) -> out.append(String.format("%-34s %14s%n", key, fmt(value))));
        return out.toString();
    }

    private static String fmt(Number value) {
        double d = value.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
