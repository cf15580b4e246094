package io.edgebridge.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this machine's processes, grouped by what they are (operator, API server, etcd, fleet
 * workers, ...), from /proc: where a stage's time went when everything shares two cores.
 */
final class ProcessCpu {

    /** Clock ticks per second of /proc/[pid]/stat (USER_HZ; 100 on Linux). */
    private static final double TICKS = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds so far by group. */
    static Map<String, Double> snapshot() {
        Map<String, Double> seconds = new TreeMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    var stat = Files.readString(p.resolve("stat"));
                    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
                    double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
                    var command = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    seconds.merge(group(command), cpu, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            return seconds;
        }
        return seconds;
    }

    /** What was used between two snapshots, in CPU seconds, largest first in the text. */
    static String difference(Map<String, Double> before, Map<String, Double> after) {
        var used = new TreeMap<String, Double>();
        after.forEach((group, cpu) -> used.put(group, cpu - before.getOrDefault(group, 0.0)));
        return used.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("nothing");
    }

    static String group(String command) {
        if (command.contains("quarkus-run.jar")) {
            return "operator";
        }
        if (command.contains("FleetWorker")) {
            return "fleet workers";
        }
        if (command.contains("FleetBenchmark")) {
            return "benchmark (16 proxies)";
        }
        for (var tool : new String[] {"kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kwok"}) {
            if (command.contains("/" + tool + " ") || command.startsWith(tool)) {
                return tool;
            }
        }
        return command.isBlank() ? "kernel" : "other";
    }
}
