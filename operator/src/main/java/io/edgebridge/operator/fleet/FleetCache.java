package io.edgebridge.operator.fleet;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * One in-memory view of the fleet (clusters, nodes, apps, app revisions), shared by the reconcilers
 * and the hub on every replica. The controllers' own informers share its objects ({@link SharedObjects}).
 */
@ApplicationScoped
public class FleetCache {

    /** Label on every ControllerRevision of an app; its value is the app's name. */
    public static final String APP_LABEL = "edgebridge.io/app";
    private static final String OWNER_INDEX = "owner-uid";
    /** Clusters by the nodes they list (namespace/node), and under namespace/* those with a node selector. */
    private static final String CLAIM_INDEX = "claims";
    /** Clusters by their member nodes as their status has them (namespace/node). */
    private static final String MEMBER_INDEX = "members";
    private static final String SELECTING = "*";
    private static final Logger LOG = Logger.getLogger(FleetCache.class);

    @Inject
    KubernetesClient client;

    private SharedIndexInformer<EdgeCluster> clusters;
    private SharedIndexInformer<EdgeNode> nodes;
    private SharedIndexInformer<ControllerRevision> revisions;
    private SharedIndexInformer<EdgeApp> apps;
    private final List<BiConsumer<EdgeCluster, EdgeCluster>> clusterListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<EdgeNode, EdgeNode>> nodeListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<ControllerRevision, ControllerRevision>> revisionListeners =
            new CopyOnWriteArrayList<>();
    private final List<BiConsumer<EdgeApp, EdgeApp>> appListeners = new CopyOnWriteArrayList<>();

    void start(@Observes StartupEvent event) {
        ensureStarted();
    }

    /** Starts the informers once and waits for their first list, so readers never see a half-filled fleet. */
    public synchronized void ensureStarted() {
        if (clusters != null) {
            return;
        }
        // The controllers' informers hold the same clusters, nodes and apps: one copy is kept for both.
        clusters = client.resources(EdgeCluster.class).inAnyNamespace().runnableInformer(0)
                .itemStore(SharedObjects.store());
        // Membership asks about a node's claimants and a node about its cluster on every reconcile:
        // by index, not by scanning ten thousand clusters.
        clusters.addIndexers(Map.of(CLAIM_INDEX, FleetCache::claimKeys, MEMBER_INDEX, FleetCache::memberKeys));
        clusters.addEventHandler(handler(clusterListeners));
        nodes = inform(client.resources(EdgeNode.class).inAnyNamespace().runnableInformer(0)
                .itemStore(SharedObjects.store()), nodeListeners);
        revisions = client.apps().controllerRevisions().inAnyNamespace().withLabel(APP_LABEL).runnableInformer(0);
        revisions.addIndexers(Map.of(OWNER_INDEX, revision -> revision.getMetadata().getOwnerReferences().stream()
                .map(owner -> owner.getUid()).toList()));
        revisions.addEventHandler(handler(revisionListeners));
        apps = inform(client.resources(EdgeApp.class).inAnyNamespace().runnableInformer(0)
                .itemStore(SharedObjects.store()), appListeners);
        for (var informer : List.of(clusters, nodes, revisions, apps)) {
            informer.start().toCompletableFuture().join();
        }
        LOG.infof("Fleet cache synced: %d clusters, %d nodes, %d apps, %d app revisions",
                clusters.getStore().list().size(), nodes.getStore().list().size(), apps.getStore().list().size(),
                revisions.getStore().list().size());
    }

    void stop(@Observes ShutdownEvent event) {
        for (var informer : new SharedIndexInformer<?>[] {clusters, nodes, revisions, apps}) {
            if (informer != null) {
                informer.close();
            }
        }
    }

    public List<EdgeCluster> clusters(String namespace) {
        return clusters.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    public Optional<EdgeCluster> cluster(String namespace, String name) {
        return Optional.ofNullable(clusters.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    /** Clusters of the namespace that list this node, or select nodes by label (they may claim it). */
    public List<EdgeCluster> claimants(String namespace, String nodeName) {
        var listing = clusters.getIndexer().byIndex(CLAIM_INDEX, namespace + "/" + nodeName);
        var selecting = clusters.getIndexer().byIndex(CLAIM_INDEX, namespace + "/" + SELECTING);
        if (selecting.isEmpty()) {
            return listing;
        }
        var all = new java.util.ArrayList<>(listing);
        all.addAll(selecting);
        return all;
    }

    /** The clusters whose status has this node as a member (one, unless a conflict is being resolved). */
    public List<EdgeCluster> clustersWithMember(String namespace, String nodeName) {
        return clusters.getIndexer().byIndex(MEMBER_INDEX, namespace + "/" + nodeName);
    }

    private static List<String> claimKeys(EdgeCluster cluster) {
        var namespace = cluster.getMetadata().getNamespace();
        var spec = cluster.getSpec();
        if (spec == null) {
            return List.of();
        }
        var keys = new java.util.ArrayList<String>();
        if (spec.nodes() != null) {
            spec.nodes().forEach(n -> keys.add(namespace + "/" + n.name()));
        }
        if (spec.nodeSelector() != null) {
            keys.add(namespace + "/" + SELECTING);
        }
        return keys;
    }

    private static List<String> memberKeys(EdgeCluster cluster) {
        var status = cluster.getStatus();
        if (status == null || status.nodes() == null) {
            return List.of();
        }
        return status.nodes().stream().map(n -> cluster.getMetadata().getNamespace() + "/" + n.name()).toList();
    }

    public Optional<EdgeNode> node(String namespace, String name) {
        return Optional.ofNullable(nodes.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    public List<EdgeNode> nodes(String namespace) {
        return nodes.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    public Optional<EdgeApp> app(String namespace, String name) {
        return Optional.ofNullable(apps.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    public List<EdgeApp> apps(String namespace) {
        return apps.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** The ControllerRevisions an app owns. */
    public List<ControllerRevision> revisionsOf(EdgeApp app) {
        return revisions.getIndexer().byIndex(OWNER_INDEX, app.getMetadata().getUid());
    }

    /** Called with (old, new) on every change; old is null on add, new is null on delete. */
    public void onClusterChange(BiConsumer<EdgeCluster, EdgeCluster> listener) {
        clusterListeners.add(listener);
    }

    public void onAppChange(BiConsumer<EdgeApp, EdgeApp> listener) {
        appListeners.add(listener);
    }

    public void onNodeChange(BiConsumer<EdgeNode, EdgeNode> listener) {
        nodeListeners.add(listener);
    }

    public void onRevisionChange(BiConsumer<ControllerRevision, ControllerRevision> listener) {
        revisionListeners.add(listener);
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> inform(SharedIndexInformer<T> informer,
            List<BiConsumer<T, T>> listeners) {
        informer.addEventHandler(handler(listeners));
        return informer;
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(List<BiConsumer<T, T>> listeners) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T added) {
                notify(null, added);
            }

            @Override
            public void onUpdate(T before, T after) {
                notify(before, after);
            }

            @Override
            public void onDelete(T deleted, boolean finalStateUnknown) {
                notify(deleted, null);
            }

            private void notify(T before, T after) {
                for (var listener : listeners) {
                    try {
                        listener.accept(before, after);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "Fleet cache listener failed for %s", name(after != null ? after : before));
                    }
                }
            }
        };
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
