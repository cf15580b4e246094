package io.edgebridge.proxy.report;

import io.edgebridge.api.sync.v1.NodeState;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.proxy.apply.AppOutcome;
import io.edgebridge.proxy.apply.ObjectRef;
import io.edgebridge.proxy.identity.Identity;
import io.edgebridge.proxy.store.DesiredState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The proxy's full status as the hub wants it: apps (from the last apply and the objects as they
 * are now), nodes, versions and certificate expiry. Used by one thread.
 */
public final class StatusCollector {

    private static final Logger LOG = Logger.getLogger(StatusCollector.class);

    private final AppStatusCollector apps;
    private final ClusterInfo clusterInfo;
    private final Supplier<Optional<Identity>> identity;
    private final String proxyVersion;
    private List<NodeState> nodes = List.of();

    public StatusCollector(AppStatusCollector apps, ClusterInfo clusterInfo, Supplier<Optional<Identity>> identity,
            String proxyVersion) {
        this.apps = apps;
        this.clusterInfo = clusterInfo;
        this.identity = identity;
        this.proxyVersion = proxyVersion;
    }

    /**
     * @param report the status, with sequence number 0 (the reporter numbers it)
     * @param missing applied objects that have disappeared since: drift to repair
     */
    public record Snapshot(StatusReport report, Set<ObjectRef> missing) {
    }

    public Snapshot collect(DesiredState state, Map<String, AppOutcome> outcomes, String appliedStateHash) {
        var collected = apps.collect(state.appBundles(), outcomes, state.withheld());
        try {
            nodes = clusterInfo.nodes();
        } catch (Exception e) {
            LOG.debugf("Cannot list nodes (keeping the last known): %s", e.getMessage());
        }
        var certificateExpiry = identity.get().map(i -> i.notAfter().toString()).orElse(null);
        var report = new StatusReport(0, proxyVersion, clusterInfo.serverVersion().orElse(null), appliedStateHash,
                certificateExpiry, collected.apps(), nodes);
        return new Snapshot(report, collected.missing());
    }
}
