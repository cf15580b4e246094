package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.AppStatus;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.NodeStatus;
import io.edgebridge.operator.cluster.ClusterIdentity;
import io.edgebridge.operator.fleet.FleetCache;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which changes of a cluster wake its held sync. */
class WaitersTest {

    private final Waiters waiters = new Waiters();
    private BiConsumer<EdgeCluster, EdgeCluster> clusterChanged;
    private final AtomicInteger rechecks = new AtomicInteger();

    @BeforeEach
    void park() {
        waiters.fleet = new FleetCache() {
            @Override
            public void onClusterChange(BiConsumer<EdgeCluster, EdgeCluster> listener) {
                clusterChanged = listener;
            }
        };
        waiters.listen();
        waiters.park(new Waiters.Waiter() {
            @Override
            public ClusterIdentity cluster() {
                return new ClusterIdentity("fleet", "site-0");
            }

            @Override
            public void recheck() {
                rechecks.incrementAndGet();
            }
        });
    }

    @Test
    void aStatusWriteOfReportsAndLastSeenWakesNothing() {
        var before = cluster("uid-1", Map.of("site", "a"), List.of(new NodeStatus("n1", null, null, null)),
                List.of(), "2026-11-30T10:00:00Z");
        var after = cluster("uid-1", Map.of("site", "a"), List.of(new NodeStatus("n1", null, null, null)),
                List.of(new AppStatus("web", "web-1", true, false, null)), "2026-11-30T10:05:00Z");

        long wakes = waiters.wakes();
        clusterChanged.accept(before, after);

        assertEquals(0, rechecks.get());
        assertEquals(wakes, waiters.wakes(), "a sync planned meanwhile need not plan again");
    }

    @Test
    void labelsMembersIdentityCreationAndDeletionWakeTheHeldSync() {
        var base = cluster("uid-1", Map.of("site", "a"), List.of(new NodeStatus("n1", null, null, null)), List.of(),
                null);
        long wakes = waiters.wakes();

        clusterChanged.accept(base, cluster("uid-1", Map.of("site", "b"), base.getStatus().nodes(), List.of(), null));
        clusterChanged.accept(base, cluster("uid-1", Map.of("site", "a"),
                List.of(new NodeStatus("n1", null, null, null), new NodeStatus("n2", null, null, null)), List.of(),
                null));
        clusterChanged.accept(base, cluster("uid-2", Map.of("site", "a"), base.getStatus().nodes(), List.of(), null));
        var deleting = cluster("uid-1", Map.of("site", "a"), base.getStatus().nodes(), List.of(), null);
        deleting.getMetadata().setDeletionTimestamp("2026-11-30T10:00:00Z");
        clusterChanged.accept(base, deleting);
        clusterChanged.accept(null, base);
        clusterChanged.accept(base, null);

        assertEquals(6, rechecks.get());
        assertEquals(wakes + 6, waiters.wakes(), "a sync planned meanwhile plans again once parked");
    }

    private static EdgeCluster cluster(String uid, Map<String, String> labels, List<NodeStatus> nodes,
            List<AppStatus> apps, String lastSeen) {
        var cluster = new EdgeCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("site-0").withNamespace("fleet").withUid(uid)
                .withLabels(labels).build());
        cluster.setStatus(new EdgeClusterStatus(null, List.of(), nodes, null, null, null, lastSeen, null, null, apps,
                null, null, null, null));
        return cluster;
    }

    @Test
    void aClustersWaitersAreWokenTogetherAndLeaveOneByOne() {
        var second = new AtomicInteger();
        var other = new Waiters.Waiter() {
            @Override
            public ClusterIdentity cluster() {
                return new ClusterIdentity("fleet", "site-0");
            }

            @Override
            public void recheck() {
                second.incrementAndGet();
            }
        };
        waiters.park(other);
        assertEquals(2, waiters.size());
        var cluster = cluster("uid-1", Map.of("site", "a"), List.of(), List.of(), null);
        clusterChanged.accept(null, cluster);
        assertEquals(1, rechecks.get());
        assertEquals(1, second.get());

        waiters.unpark(other);
        assertEquals(1, waiters.size());
        clusterChanged.accept(cluster, null);
        assertEquals(2, rechecks.get());
        assertEquals(1, second.get(), "an unparked waiter is not woken");
    }
}
