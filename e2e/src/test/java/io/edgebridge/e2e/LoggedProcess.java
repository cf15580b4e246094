package io.edgebridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child process whose output goes to a log file; stopped gently first, then forcibly. */
final class LoggedProcess {

    private final String name;
    private final Path log;
    private final Process process;

    private LoggedProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static LoggedProcess start(String name, Path workDir, List<String> command) throws IOException {
        return start(name, workDir, command, java.util.Map.of());
    }

    /** The same, with extra environment variables (the rest is inherited). */
    static LoggedProcess start(String name, Path workDir, List<String> command, java.util.Map<String, String> env)
            throws IOException {
        var log = workDir.resolve(name + ".log");
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        var process = builder
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new LoggedProcess(name, log, process);
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Fails fast during startup instead of waiting out a timeout for a process that already died. */
    long pid() {
        return process.pid();
    }

    void ensureRunning() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue());
        }
    }

    String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            var all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Asks the process to stop (SIGTERM) without waiting; {@link #stop} waits. */
    void terminate() {
        process.destroy();
    }

    /** @return whether it ended on its own within {@code grace} (else it was killed) */
    boolean stop(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
