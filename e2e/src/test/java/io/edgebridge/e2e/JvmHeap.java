package io.edgebridge.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Heap in use by another JVM after a full collection, asked through jcmd (part of the JDK). */
final class JvmHeap {

    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private JvmHeap() {
    }

    static long usedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        var info = jcmd(pid, "GC.heap_info");
        var used = USED.matcher(info);
        if (!used.find()) {
            throw new IOException("no heap figure in jcmd's answer:\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static final Pattern COMMITTED = Pattern.compile("total (\\d+)K, used \\d+K");
    private static final Pattern RESIDENT = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

    /**
     * Resident memory outside the Java heap: the process's VmRSS less the heap's committed size
     * (native TLS state, direct buffers, thread stacks, metadata). Approximate: committed heap pages
     * count as resident.
     */
    static long residentOutsideHeap(long pid) throws IOException, InterruptedException {
        var info = jcmd(pid, "GC.heap_info");
        var committed = COMMITTED.matcher(info);
        var resident = RESIDENT.matcher(java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid),
                "status")));
        if (!committed.find() || !resident.find()) {
            throw new IOException("no heap or resident figure for " + pid + ":\n" + info);
        }
        return (Long.parseLong(resident.group(1)) - Long.parseLong(committed.group(1))) * 1024;
    }

    /** Live instances and bytes of one class. */
    record ClassUsage(long instances, long bytes) {
        ClassUsage plus(ClassUsage other) {
            return new ClassUsage(instances + other.instances, bytes + other.bytes);
        }

        ClassUsage minus(ClassUsage other) {
            return new ClassUsage(instances - other.instances, bytes - other.bytes);
        }
    }

    /**
     * Live instances and bytes per class, after the full collection the histogram starts with: what
     * the heap holds, by type, to the byte (unlike used heap, which counts the unused tails of G1's
     * humongous regions).
     */
    static Map<String, ClassUsage> histogram(long pid) throws IOException, InterruptedException {
        Map<String, ClassUsage> usage = new HashMap<>();
        for (var line : jcmd(pid, "GC.class_histogram").split("\n")) {
            var row = HISTOGRAM_ROW.matcher(line);
            if (row.find()) {
                usage.merge(row.group(3), new ClassUsage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        ClassUsage::plus);
            }
        }
        return usage;
    }

    static long totalBytes(Map<String, ClassUsage> histogram) {
        return histogram.values().stream().mapToLong(ClassUsage::bytes).sum();
    }

    /** The classes that grew most from one histogram to the next, largest first, per {@code per} units. */
    static String growth(Map<String, ClassUsage> before, Map<String, ClassUsage> after, int top, int per) {
        long total = totalBytes(after) - totalBytes(before);
        var none = new ClassUsage(0, 0);
        return "all classes +" + total / per + " B; " + after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().minus(before.getOrDefault(e.getKey(), none))))
                .sorted(Comparator.comparingLong((Map.Entry<String, ClassUsage> e) -> e.getValue().bytes()).reversed())
                .limit(top)
                .map(e -> String.format(Locale.ROOT, "%s +%d B (%.1f)", e.getKey(), e.getValue().bytes() / per,
                        (double) e.getValue().instances() / per))
                .collect(Collectors.joining(", "));
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        var args = new java.util.ArrayList<>(java.util.List.of(jcmd, Long.toString(pid)));
        args.addAll(java.util.List.of(command.split(" ")));
        var process = new ProcessBuilder(args).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed:\n" + output);
        }
        return output;
    }
}
