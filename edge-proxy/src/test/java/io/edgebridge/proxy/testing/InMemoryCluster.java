package io.edgebridge.proxy.testing;

import io.edgebridge.api.sync.v1.NodeState;
import io.edgebridge.proxy.apply.Applier;
import io.edgebridge.proxy.apply.ApplyException;
import io.edgebridge.proxy.apply.Labels;
import io.edgebridge.proxy.apply.LiveObjects;
import io.edgebridge.proxy.apply.ObjectRef.ObjectKey;
import io.edgebridge.proxy.apply.ObjectRef;
import io.edgebridge.proxy.apply.PlannedObject;
import io.edgebridge.proxy.apply.ResourceType;
import io.edgebridge.proxy.apply.ResourceTypes;
import io.edgebridge.proxy.report.ClusterInfo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster in memory for tests of the proxy's loops: a handful of kinds, apply replaces the
 * object (enough to see drift being repaired), and deletes honour the ownership check.
 */
public final class InMemoryCluster implements Applier, ResourceTypes, ClusterInfo {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, ResourceType> TYPES = Map.of(
            "v1/ConfigMap", new ResourceType("", "v1", "ConfigMap", "configmaps", true),
            "v1/Secret", new ResourceType("", "v1", "Secret", "secrets", true),
            "v1/Namespace", new ResourceType("", "v1", "Namespace", "namespaces", false),
            "apps/v1/Deployment", new ResourceType("apps", "v1", "Deployment", "deployments", true),
            "rbac.authorization.k8s.io/v1/ClusterRole",
            new ResourceType("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false));

    private final Map<ObjectKey, GenericKubernetesResource> objects = new ConcurrentHashMap<>();
    private final Map<String, String> applyFailures = new ConcurrentHashMap<>();
    private final AtomicInteger applies = new AtomicInteger();

    @Override
    public Optional<ResourceType> lookup(String apiVersion, String kind) {
        return Optional.ofNullable(TYPES.get(apiVersion + "/" + kind));
    }

    @Override
    public void refresh() {
    }

    @Override
    public GenericKubernetesResource apply(PlannedObject object) throws ApplyException {
        var failure = applyFailures.get(object.ref().name());
        if (failure != null) {
            throw new ApplyException(failure);
        }
        applies.incrementAndGet();
        objects.put(object.ref().key(), SERIALIZATION.clone(object.manifest()));
        return SERIALIZATION.clone(object.manifest());
    }

    @Override
    public void ensureNamespace(String name) {
        objects.computeIfAbsent(new ObjectKey("", "Namespace", null, name),
                k -> Bundles.object("v1", "Namespace", null, name, Map.of()));
    }

    @Override
    public Optional<GenericKubernetesResource> read(ObjectRef ref) {
        return Optional.ofNullable(objects.get(ref.key())).map(SERIALIZATION::clone);
    }

    @Override
    public DeleteResult deleteIfOwned(ObjectRef ref, String app) {
        var live = objects.get(ref.key());
        if (live == null) {
            return DeleteResult.ABSENT;
        }
        if (!LiveObjects.label(live, Labels.APP).filter(app::equals).isPresent()) {
            return DeleteResult.NOT_OWNED;
        }
        objects.remove(ref.key());
        return DeleteResult.DELETED;
    }

    @Override
    public List<NodeState> nodes() {
        return List.of(new NodeState("edge-node-1", true, "v1.31.4+k3s1", "14.5.1",
                Map.of("cpu", "4", "memory", "8Gi")));
    }

    @Override
    public Optional<String> serverVersion() {
        return Optional.of("v1.31.4+k3s1");
    }

    // What tests do to the cluster behind the proxy's back.

    public Optional<GenericKubernetesResource> get(String apiVersion, String kind, String namespace, String name) {
        return read(new ObjectRef(apiVersion, kind, namespace, name));
    }

    public Optional<GenericKubernetesResource> configMap(String namespace, String name) {
        return get("v1", "ConfigMap", namespace, name);
    }

    /** Puts an object as someone else would (no EdgeBridge labels unless given). */
    public void put(GenericKubernetesResource object) {
        objects.put(ObjectRef.of(object).key(), SERIALIZATION.clone(object));
    }

    public void delete(String apiVersion, String kind, String namespace, String name) {
        objects.remove(new ObjectRef(apiVersion, kind, namespace, name).key());
    }

    public void failApplyOf(String name, String message) {
        applyFailures.put(name, message);
    }

    public Set<ObjectKey> keys() {
        return Set.copyOf(objects.keySet());
    }

    public int applies() {
        return applies.get();
    }
}
