package io.edgebridge.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Heap in use by another JVM after a full collection, asked through jcmd (part of the JDK). */
final class JvmHeap {

    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

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
