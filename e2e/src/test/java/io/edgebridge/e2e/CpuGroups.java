package io.edgebridge.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Equal CPU shares for the control plane (API server, etcd, operator) and the simulated fleet
 * (this JVM and the worker processes), as two cgroups of the cgroup v1 cpu controller. The
 * scheduler shares a busy CPU by thread: ten thousand simulated proxies bring hundreds of runnable
 * threads when their links come back, the API server two or three, so without groups the API
 * server got a few percent of the machine and the operator's requests to it (its leader Lease
 * among them) timed out. In the field the devices bring their own CPUs; here each side gets at
 * least one of the two cores when both are busy, and all of it when the other is idle.
 */
final class CpuGroups implements AutoCloseable {

    private static final Path CPU = Path.of("/sys/fs/cgroup/cpu");
    private static final Set<String> CONTROL_PLANE = Set.of("kube-apiserver", "etcd", "operator");

    private final Path fleet;
    private final Path controlPlane;

    private CpuGroups(Path fleet, Path controlPlane) {
        this.fleet = fleet;
        this.controlPlane = controlPlane;
    }

    /** The groups, with this JVM (and so every process it starts from now on) in the fleet's; empty when not available. */
    static Optional<CpuGroups> create() {
        if (!Boolean.parseBoolean(System.getProperty("bench.cpu-groups", "true")) || !Files.isWritable(CPU)) {
            return Optional.empty();
        }
        try {
            var groups = new CpuGroups(group("edgebridge-bench-fleet"), group("edgebridge-bench-control-plane"));
            move(ProcessHandle.current().pid(), groups.fleet);
            return Optional.of(groups);
        } catch (IOException | RuntimeException e) {
            System.err.println("CPU groups not available, everything shares the CPU by thread: " + e);
            return Optional.empty();
        }
    }

    /** Moves the running API server, etcd and operator into the control plane's group; returns how many. */
    int adoptControlPlane() throws IOException {
        int moved = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (var process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                String command;
                try {
                    command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                if (CONTROL_PLANE.contains(ProcessCpu.group(command))) {
                    move(Long.parseLong(process.getFileName().toString()), controlPlane);
                    moved++;
                }
            }
        }
        return moved;
    }

    /** Everything back into the root group, and the groups removed. */
    @Override
    public void close() {
        for (var group : List.of(fleet, controlPlane)) {
            try {
                for (var pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
                    try {
                        Files.writeString(CPU.resolve("cgroup.procs"), pid);
                    } catch (IOException gone) {
                        // the process ended meanwhile
                    }
                }
                Files.deleteIfExists(group);
            } catch (IOException e) {
                System.err.println("Could not remove CPU group " + group + ": " + e);
            }
        }
    }

    private static Path group(String name) throws IOException {
        var group = CPU.resolve(name);
        if (!Files.isDirectory(group)) {
            Files.createDirectory(group);
        }
        // The same weight as one busy thread of the root group would have; the two groups are equal.
        Files.writeString(group.resolve("cpu.shares"), "1024");
        return group;
    }

    private static void move(long pid, Path group) throws IOException {
        // cgroup.procs moves every thread of the process.
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
    }
}
