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
 * and the hub on every replica, so each object is held once however many parts read it.
 */
@ApplicationScoped
public class FleetCache {

    /** Label on every ControllerRevision of an app; its value is the app's name. */
    public static final String APP_LABEL = "edgebridge.io/app";
    private static final String OWNER_INDEX = "owner-uid";
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
        clusters = inform(client.resources(EdgeCluster.class).inAnyNamespace().runnableInformer(0), clusterListeners);
        nodes = inform(client.resources(EdgeNode.class).inAnyNamespace().runnableInformer(0), nodeListeners);
        revisions = client.apps().controllerRevisions().inAnyNamespace().withLabel(APP_LABEL).runnableInformer(0);
        revisions.addIndexers(Map.of(OWNER_INDEX, revision -> revision.getMetadata().getOwnerReferences().stream()
                .map(owner -> owner.getUid()).toList()));
        revisions.addEventHandler(handler(revisionListeners));
        apps = inform(client.resources(EdgeApp.class).inAnyNamespace().runnableInformer(0), appListeners);
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

    public Optional<EdgeNode> node(String namespace, String name) {
        return Optional.ofNullable(nodes.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    public List<EdgeNode> nodes(String namespace) {
        return nodes.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
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
