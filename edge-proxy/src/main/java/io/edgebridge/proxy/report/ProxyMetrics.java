package io.edgebridge.proxy.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's metrics (Prometheus names in brackets): connected [edgebridge_proxy_connected],
 * time of the last successful sync [edgebridge_proxy_last_sync_success_seconds], the applied state
 * [edgebridge_proxy_applied_state_info{state_hash}], and counters of apply errors, bytes sent and
 * received, reconnects and rejected bundles. Every meter carries the cluster, so several proxies
 * can share a registry.
 */
public final class ProxyMetrics implements AutoCloseable {

    // Gauges hold their state weakly: these fields keep it alive.
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong lastSyncSuccess = new AtomicLong();
    private final MultiGauge appliedState;
    private final Counter applyErrors;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final Counter reconnects;
    private final Counter rejectedBundles;
    private final Tags tags;
    private final MeterRegistry registry;

    public ProxyMetrics(MeterRegistry registry, String cluster) {
        this.registry = registry;
        tags = Tags.of("cluster", cluster);
        Gauge.builder("edgebridge.proxy.connected", connected, AtomicInteger::get).tags(tags)
                .description("1 while the last call to the hub succeeded").register(registry);
        Gauge.builder("edgebridge.proxy.last.sync.success", lastSyncSuccess, AtomicLong::get).tags(tags)
                .baseUnit("seconds").description("Unix time of the last successful sync").register(registry);
        appliedState = MultiGauge.builder("edgebridge.proxy.applied.state.info").tags(tags)
                .description("1 for the state hash the proxy has applied").register(registry);
        applyErrors = Counter.builder("edgebridge.proxy.apply.errors").tags(tags)
                .description("Object operations on the local cluster that failed").register(registry);
        bytesSent = Counter.builder("edgebridge.proxy.sent").baseUnit("bytes").tags(tags)
                .description("Bytes of request bodies sent to the hub").register(registry);
        bytesReceived = Counter.builder("edgebridge.proxy.received").baseUnit("bytes").tags(tags)
                .description("Bytes of response bodies received from the hub").register(registry);
        reconnects = Counter.builder("edgebridge.proxy.reconnects").tags(tags)
                .description("Successful syncs after failed ones").register(registry);
        rejectedBundles = Counter.builder("edgebridge.proxy.bundles.rejected").tags(tags)
                .description("Bundles refused because their signature did not verify").register(registry);
    }

    public void connected(Instant at) {
        if (connected.getAndSet(1) == 0 && lastSyncSuccess.get() != 0) {
            reconnects.increment();
        }
        lastSyncSuccess.set(at.getEpochSecond());
    }

    public void disconnected() {
        connected.set(0);
    }

    public boolean isConnected() {
        return connected.get() == 1;
    }

    public void appliedState(String stateHash) {
        appliedState.register(stateHash == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.of("state_hash", stateHash), 1)), true);
    }

    public void applyErrors(int count) {
        if (count > 0) {
            applyErrors.increment(count);
        }
    }

    public void sent(long bytes) {
        bytesSent.increment(bytes);
    }

    public void received(long bytes) {
        bytesReceived.increment(bytes);
    }

    public void rejectedBundles(int count) {
        if (count > 0) {
            rejectedBundles.increment(count);
        }
    }

    /**
     * Removes this proxy's meters: a proxy started again for the same cluster in the same registry
     * (tests) would otherwise report through the stopped one's gauges.
     */
    @Override
    public void close() {
        appliedState.register(List.of(), true);
        registry.find("edgebridge.proxy.connected").tags(tags).meters().forEach(registry::remove);
        registry.find("edgebridge.proxy.last.sync.success").tags(tags).meters().forEach(registry::remove);
        for (var counter : List.of(applyErrors, bytesSent, bytesReceived, reconnects, rejectedBundles)) {
            registry.remove(counter);
        }
    }

    public Instant lastSyncSuccess() {
        long seconds = lastSyncSuccess.get();
        return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }
}
