package io.edgebridge.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.e2e.BenchFleet;
import io.edgebridge.proxy.sync.HubClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the proxy footprint benchmark reads from the edge install manifest, and how it reads memory. */
class ProxyFootprintBenchmarkTest {

    private static final long MIB = 1024 * 1024;
    /**
     * What the proxy's JVM uses besides its heap (code, metaspace, threads, libraries, malloc), as
     * ProxyFootprintBenchmark measured it: about 115 MiB idle, a little more under load.
     */
    private static final long NON_HEAP_MIB = 112;

    @Test
    void theManifestRunsTheProxyWithBoundedMemory() throws Exception {
        var container = ProxyFootprintBenchmark.readManifest(
                BenchFleet.repositoryRoot().resolve(ProxyFootprintBenchmark.MANIFEST));
        var flags = container.jvmOptions();
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags);
        assertEquals("2", container.env().get("MALLOC_ARENA_MAX"));
        var xmx = Pattern.compile("-Xmx(\\d+)m").matcher(flags);
        assertTrue(xmx.find(), "the heap is bounded: " + flags);
        long heap = Long.parseLong(xmx.group(1)) * MIB;
        assertTrue(container.memoryLimitBytes() >= heap + NON_HEAP_MIB * MIB,
                "the memory limit holds the heap and the rest of the JVM: " + container.memoryLimitBytes() / MIB
                        + " MiB for -Xmx" + heap / MIB + "m");
        assertTrue(container.memoryRequestBytes() < container.memoryLimitBytes());
        assertEquals(HubClient.maxResponseBytes(heap) * 97L / 100, ProxyFootprintBenchmark.largeStateBytes(flags),
                "the large-state check delivers nearly all the proxy accepts");
    }

    @Test
    void readsTheMostHeapAnyCollectionLeftInUse(@TempDir Path dir) throws Exception {
        var log = Files.writeString(dir.resolve("gc.log"), """
                [0.512s][info][gc] GC(0) Pause Young (Allocation Failure) 6M->2M(15M) 3.123ms
                [7.438s][info][gc] GC(9) Pause Young (Allocation Failure) 111M->107M(115M) 0.904ms
                [9.001s][info][gc] GC(10) Pause Full (Allocation Failure) 90M->40M(115M) 20.004ms
                """);
        assertEquals(107 * 1024, ProxyFootprintBenchmark.maxHeapAfterGcKib(log));
        assertEquals(-1, ProxyFootprintBenchmark.maxHeapAfterGcKib(dir.resolve("none.log")));
    }

    @Test
    void memoryIsStableWhenTheLastThreeReadingsAreWithinOneMebibyte() {
        var a = new ProxyFootprintBenchmark.Memory(100_000, 80_000, 20_000, 0, 120_000, 20);
        var b = new ProxyFootprintBenchmark.Memory(100_900, 80_000, 20_000, 0, 120_000, 20);
        var c = new ProxyFootprintBenchmark.Memory(102_000, 80_000, 20_000, 0, 120_000, 20);
        assertFalse(ProxyFootprintBenchmark.stable(List.of(a, b)));
        assertTrue(ProxyFootprintBenchmark.stable(List.of(c, a, b, a)));
        assertFalse(ProxyFootprintBenchmark.stable(List.of(a, b, c)));
    }

    @Test
    void readsProcStatus() throws Exception {
        var self = ProxyFootprintBenchmark.Memory.read(ProcessHandle.current().pid());
        assertTrue(self.rssKib() > 0 && self.rssKib() == self.anonKib() + self.fileKib() + self.shmemKib(),
                self.toString());
    }
}
