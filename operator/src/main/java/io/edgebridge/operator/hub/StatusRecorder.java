package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.NodeState;
import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.AppStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ProxyStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.ReportedNode;
import io.edgebridge.operator.cluster.ClusterStatusBuilder;
import io.edgebridge.operator.config.OperatorConfig;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.fleet.RecentValues;
import io.edgebridge.operator.status.Conditions;
import io.edgebridge.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Quantity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Records what edge proxies report into their EdgeCluster's status, off the request path and
 * sparingly: a report is written when its content changed, lastSeen only every
 * {@link OperatorConfig#lastSeenInterval()}, and a disconnect once, when the proxy stops syncing
 * for offlineAfter. A connected idle fleet thus costs almost no API writes.
 */
@ApplicationScoped
public class StatusRecorder {

    private static final Logger LOG = Logger.getLogger(StatusRecorder.class);
    private static final String WRITER = "hub";
    private static final int MAX_APPS = 256;
    private static final int MAX_MESSAGE = 1024;

    @Inject
    FleetCache fleet;

    @Inject
    StatusWriter statusWriter;

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    /** What this replica knows of a cluster it serves. */
    private static final class Seen {
        /** Certificate serial of the proxy whose report sequence {@code seq} belongs to. */
        String reporter;
        long seq = -1;
        /**
         * The newest report until it is written: then the cluster's status holds it, and a copy here
         * for each of ten thousand idle clusters cost the hub about a kilobyte each.
         */
        StatusReport unwritten;
        /** Hash of the newest report's content, which tells a changed report from a repeated one. */
        String content;
        /** App name to revision, from the newest report. */
        Map<String, String> running;
        Instant lastSync;
        Instant lastSeenWritten;

        /**
         * What this replica knows of a cluster it has not served yet: the lastSeen an earlier
         * replica wrote (before a restart or a change of leader) still counts while the cluster
         * shows connected, so the first sync after a restart writes only a lastSeen that is due.
         * Otherwise a restarted hub wrote every connected cluster's status at once: ten thousand
         * writes, a hundred seconds of the replica's write pace ahead of any other status.
         */
        static Seen continuing(EdgeClusterStatus status) {
            var seen = new Seen();
            if (status != null && status.lastSeen() != null && status.disconnectedAt() == null
                    && Conditions.isTrue(status.conditions(), ClusterStatusBuilder.CONNECTED)) {
                try {
                    seen.lastSeenWritten = Instant.parse(status.lastSeen());
                } catch (java.time.format.DateTimeParseException e) {
                    // Not ours to read: the first sync writes one.
                }
            }
            return seen;
        }
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** Alike clusters run the same revisions: one map of them, not one per cluster (about 0.3 KB each). */
    private final RecentValues<Map<String, String>> runningSets = new RecentValues<>(4096);
    /** Clusters with a write waiting for the per-object write interval; one retry each is enough. */
    private final java.util.Set<String> retrying = ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService writes;
    /**
     * One queued write per cluster: a write takes what is latest when it runs. At ten thousand
     * clusters, one queued write per report piled up tens of thousands behind the API server.
     */
    private OnePerKey latestWrites;
    private volatile StatusWritePace pace;

    @Inject
    HubConfig hubConfig;

    @Inject
    AnswersInFlight answers;

    @jakarta.annotation.PostConstruct
    void init() {
        writes = Executors.newScheduledThreadPool(hubConfig.statusWriters(), runnable -> {
            var thread = new Thread(runnable, "hub-status-writer");
            thread.setDaemon(true);
            return thread;
        });
        latestWrites = new OnePerKey(writes);
        pace = StatusWritePace.of(hubConfig.statusWritesPerSecond());
    }

    /** Replaces the pace of status writes (tests). */
    void pace(StatusWritePace pace) {
        this.pace = pace;
    }

    /** Clusters whose status write waits for a writer. */
    public int queuedWrites() {
        return latestWrites.queued();
    }

    /**
     * Records a sync of {@code cluster}, with its status report if it sent one.
     *
     * @param reporter the serial number of the certificate the sync came with: report sequence numbers
     *     count per proxy identity, and a proxy set up afresh (new key, new certificate) starts at 1
     * @return the sequence number to acknowledge (the newest report recorded), or null when the sync
     *     carried no report
     */
    public Long record(EdgeCluster cluster, String reporter, StatusReport report) {
        var key = key(cluster);
        var now = clock.instant();
        var entry = seen.computeIfAbsent(key, k -> Seen.continuing(cluster.getStatus()));
        boolean changed = false;
        boolean writeLastSeen;
        synchronized (entry) {
            if (report != null && !reporter.equals(entry.reporter)) {
                // A re-provisioned device, or a renewed certificate: its count starts here, whatever it is.
                entry.reporter = reporter;
                entry.seq = -1;
            }
            if (report != null && report.seq() > entry.seq) {
                entry.seq = report.seq();
                var content = contentHash(report);
                changed = !content.equals(entry.content);
                if (changed) {
                    entry.content = content;
                    entry.unwritten = report;
                    entry.running = runningSets.shared(revisions(report));
                }
            }
            entry.lastSync = now;
            writeLastSeen = entry.lastSeenWritten == null
                    || !now.isBefore(entry.lastSeenWritten.plus(config.lastSeenInterval()));
            if (writeLastSeen) {
                entry.lastSeenWritten = now;
            }
        }
        if (changed || writeLastSeen || disconnectedMarked(cluster)) {
            latestWrites.run(key, () -> writeLatest(key));
        }
        // Only a request that carried a report needs its acknowledgement (idle long-polls stay small).
        return report != null && entry.seq >= 0 ? entry.seq : null;
    }

    /** What the cluster runs, app name to revision, from its latest report or else its status. */
    public Map<String, String> runningRevisions(EdgeCluster cluster) {
        var entry = seen.get(key(cluster));
        Map<String, String> running = null;
        if (entry != null) {
            synchronized (entry) {
                running = entry.running;
            }
        }
        if (running != null) {
            return running;
        }
        Map<String, String> revisions = new HashMap<>();
        if (cluster.getStatus() != null && cluster.getStatus().apps() != null) {
            cluster.getStatus().apps().forEach(a -> revisions.put(a.name(), a.revision()));
        }
        return revisions;
    }

    private static Map<String, String> revisions(StatusReport report) {
        Map<String, String> revisions = new HashMap<>();
        if (report.apps() != null) {
            report.apps().forEach(a -> revisions.put(a.name(), a.revision()));
        }
        return Collections.unmodifiableMap(revisions);
    }

    /** Forgets what this replica knows of {@code cluster}, as a restarted replica would not know it (tests). */
    void forget(EdgeCluster cluster) {
        seen.remove(key(cluster));
    }

    /** Whether the newest report of {@code cluster} waits for its write (for tests). */
    boolean holdsUnwrittenReport(EdgeCluster cluster) {
        var entry = seen.get(key(cluster));
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            return entry.unwritten != null;
        }
    }

    /**
     * Marks clusters this replica served that stopped syncing for offlineAfter, unless another
     * replica recorded them since (the proxy moved).
     */
    @Scheduled(every = "${edgebridge.hub.disconnect-check:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markDisconnected() {
        var now = clock.instant();
        for (var entry : seen.entrySet()) {
            var parts = entry.getKey().split("/", 2);
            var cluster = fleet.cluster(parts[0], parts[1]).orElse(null);
            if (cluster == null) {
                seen.remove(entry.getKey());
                continue;
            }
            Instant lastSync;
            synchronized (entry.getValue()) {
                lastSync = entry.getValue().lastSync;
            }
            var offlineAfter = ClusterStatusBuilder.offlineAfter(cluster.getSpec());
            if (lastSync == null || now.isBefore(lastSync.plus(offlineAfter))) {
                continue;
            }
            var recorded = cluster.getStatus() == null || cluster.getStatus().lastSeen() == null ? null
                    : Instant.parse(cluster.getStatus().lastSeen());
            seen.remove(entry.getKey());
            if (recorded != null && recorded.isAfter(lastSync)) {
                continue; // another replica serves it now
            }
            LOG.infof("EdgeCluster %s: edge proxy gone, no sync since %s", entry.getKey(), lastSync);
            var current = hubOwned(cluster.getStatus());
            var desired = new EdgeClusterStatus(null, null, null, null, null, current == null ? null : current.k3sVersion(),
                    lastSync.truncatedTo(ChronoUnit.SECONDS).toString(), now.truncatedTo(ChronoUnit.SECONDS).toString(),
                    current == null ? null : current.proxy(), current == null ? null : current.apps(),
                    current == null ? null : current.reportedNodes(), null, null, null);
            var key = entry.getKey();
            writes.execute(() -> {
                // A proxy that synced again while this write waited its turn is not gone: its sync wrote.
                if (awaitTurn() && !seen.containsKey(key)) {
                    statusWriter.write(WRITER, cluster, current, desired);
                }
            });
        }
    }

    /**
     * Waits while answers to a fan-out are worked out (see {@link AnswersInFlight}), then for this
     * write's turn under the pace; false when the writer was interrupted (shutting down).
     */
    private boolean awaitTurn() {
        try {
            answers.awaitNone(hubConfig.statusWriteYield());
            pace.awaitTurn();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes what this replica knows now; a write held back by the write interval is retried then. */
    private void writeLatest(String key) {
        if (!awaitTurn()) {
            return;
        }
        var entry = seen.get(key);
        if (entry == null) {
            return;
        }
        StatusReport report;
        Instant lastSeen;
        synchronized (entry) {
            report = entry.unwritten;
            lastSeen = entry.lastSeenWritten;
        }
        var parts = key.split("/", 2);
        java.util.Optional<java.time.Duration> heldBack;
        try {
            heldBack = write(parts[0], parts[1], report, lastSeen);
        } catch (RuntimeException e) {
            // The report stays unwritten: the next write, a lastSeen refresh at the latest, carries it.
            LOG.warnf("EdgeCluster %s: could not record the edge's status: %s", key, e.getMessage());
            return;
        }
        if (heldBack.isEmpty()) {
            synchronized (entry) {
                if (entry.unwritten == report) {
                    entry.unwritten = null;
                }
            }
            return;
        }
        if (retrying.add(key)) {
            writes.schedule(() -> {
                retrying.remove(key);
                writeLatest(key);
            }, heldBack.get().toMillis() + 10, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private java.util.Optional<java.time.Duration> write(String namespace, String name, StatusReport report,
            Instant lastSeen) {
        var cluster = fleet.cluster(namespace, name).orElse(null);
        if (cluster == null) {
            return java.util.Optional.empty();
        }
        var current = hubOwned(cluster.getStatus());
        var desired = report == null
                ? new EdgeClusterStatus(null, null, null, null, null, current == null ? null : current.k3sVersion(),
                        format(lastSeen), null, current == null ? null : current.proxy(),
                        current == null ? null : current.apps(), current == null ? null : current.reportedNodes(),
                        null, null, null)
                : fromReport(report, lastSeen);
        return statusWriter.write(WRITER, cluster, current, desired);
    }

    static EdgeClusterStatus fromReport(StatusReport report, Instant lastSeen) {
        List<AppStatus> apps = new ArrayList<>();
        if (report.apps() != null) {
            for (AppState app : report.apps().stream().limit(MAX_APPS).toList()) {
                apps.add(new AppStatus(app.name(), app.revision(), app.ready(), app.failed(), truncate(app.message())));
            }
        }
        List<ReportedNode> nodes = new ArrayList<>();
        if (report.nodes() != null) {
            for (NodeState node : report.nodes().stream().limit(100).toList()) {
                Map<String, Quantity> capacity = null;
                if (node.capacity() != null) {
                    capacity = new LinkedHashMap<>();
                    for (var entry : node.capacity().entrySet()) {
                        capacity.put(entry.getKey(), new Quantity(entry.getValue()));
                    }
                }
                nodes.add(new ReportedNode(node.name(), node.ready(), node.k3sVersion(), node.eveVersion(), capacity));
            }
        }
        return new EdgeClusterStatus(null, null, null, null, null, report.k3sVersion(), format(lastSeen), null,
                new ProxyStatus(report.proxyVersion(), report.appliedStateHash(), report.certificateExpiry()),
                apps, nodes, null, null, null);
    }

    /** The fields of a cluster's status the hub owns. */
    static EdgeClusterStatus hubOwned(EdgeClusterStatus status) {
        if (status == null) {
            return null;
        }
        return new EdgeClusterStatus(null, null, null, null, null, status.k3sVersion(), status.lastSeen(),
                status.disconnectedAt(), status.proxy(), status.apps(), status.reportedNodes(), null, null, null);
    }

    private static boolean disconnectedMarked(EdgeCluster cluster) {
        return cluster.getStatus() != null && cluster.getStatus().disconnectedAt() != null;
    }

    /** The report without its sequence number, hashed (SHA-256 of its canonical JSON, 128 bits). */
    private static String contentHash(StatusReport report) {
        return CanonicalJson.hash(new StatusReport(0, report.proxyVersion(), report.k3sVersion(),
                report.appliedStateHash(), report.certificateExpiry(), report.apps(), report.nodes()), 32);
    }

    private static String key(EdgeCluster cluster) {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }

    private static String format(Instant time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String truncate(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    void stop(@Observes ShutdownEvent event) {
        writes.shutdown();
    }
}
