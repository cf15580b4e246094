package io.edgebridge.operator.fleet;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of each fleet object however many informers hold it. The fleet cache and the
 * reconcilers' own informers (Java Operator SDK keeps one per controller) each receive every
 * EdgeCluster, EdgeNode and EdgeApp; a store made here keeps, for an object at a resourceVersion
 * another store already holds, that instance instead of its own. At ten thousand clusters this
 * halves what the operator's caches take. Cached objects are read-only to everyone (the SDK hands
 * reconcilers copies), so sharing them is safe. The instance kept is compacted first
 * ({@link CachedObjectCompactor}).
 */
public final class SharedObjects {

    /** The newest instance put per object (by uid). */
    private static final Map<String, HasMetadata> CANONICAL = new ConcurrentHashMap<>();

    private SharedObjects() {
    }

    /** A store for an informer of one of the shared kinds. */
    public static <T extends HasMetadata> ItemStore<T> store() {
        return new Store<>();
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T canonical(T object) {
        var uid = object.getMetadata().getUid();
        if (uid == null) {
            return object;
        }
        return (T) CANONICAL.compute(uid, (key, held) -> held != null && held.getClass() == object.getClass()
                && Objects.equals(held.getMetadata().getResourceVersion(), object.getMetadata().getResourceVersion())
                        ? held : CachedObjectCompactor.compact(object));
    }

    /**
     * Gives the received instance the name and namespace strings every earlier version had. The
     * informer hands this very instance to its event handlers, and the SDK keys what it keeps per
     * resource (its states, timers, indexes) by ResourceIDs made from it: each event's own copy of
     * the two strings stayed with those, about 1 KB per cluster at 2,000 (heap dump).
     */
    static void shareIdentity(HasMetadata object) {
        var meta = object.getMetadata();
        var held = meta.getUid() == null ? null : CANONICAL.get(meta.getUid());
        if (held != null && Objects.equals(held.getMetadata().getName(), meta.getName())
                && Objects.equals(held.getMetadata().getNamespace(), meta.getNamespace())) {
            meta.setName(held.getMetadata().getName());
            meta.setNamespace(held.getMetadata().getNamespace());
        } else if (meta.getNamespace() != null) {
            meta.setNamespace(CachedObjectCompactor.word(meta.getNamespace()));
        }
    }

    /**
     * Gives an owner reference the name and uid strings of the cached object it names, and one
     * shared copy of its kind and API version: every Secret of a cluster names the cluster, and
     * each deserialized copies of its own.
     */
    public static void shareOwnerStrings(OwnerReference owner) {
        var held = owner.getUid() == null ? null : CANONICAL.get(owner.getUid());
        if (held != null && Objects.equals(held.getMetadata().getName(), owner.getName())
                && Objects.equals(held.getKind(), owner.getKind())) {
            owner.setName(held.getMetadata().getName());
            owner.setUid(held.getMetadata().getUid());
        }
        owner.setApiVersion(CachedObjectCompactor.word(owner.getApiVersion()));
        owner.setKind(CachedObjectCompactor.word(owner.getKind()));
        if (owner.getAdditionalProperties() != null && owner.getAdditionalProperties().isEmpty()) {
            owner.setAdditionalProperties(Map.of());
        }
    }

    /**
     * One shared copy of a word many objects hold (a kind, a label value from a small vocabulary),
     * from a bounded table: never a name or anything else each object has its own of.
     */
    public static String word(String word) {
        return CachedObjectCompactor.word(word);
    }

    static void removed(HasMetadata object) {
        if (object != null && object.getMetadata().getUid() != null) {
            CANONICAL.remove(object.getMetadata().getUid(), object);
        }
    }

    static int size() {
        return CANONICAL.size();
    }

    private static class Store<T extends HasMetadata> extends TransformingItemStore<T> {
        Store() {
            super(SharedObjects::canonical);
        }

        /** Before the SDK's store notes the name and namespace to set them on what it keeps. */
        @Override
        public T put(String key, T object) {
            shareIdentity(object);
            return super.put(key, object);
        }

        @Override
        public T remove(String key) {
            var removed = super.remove(key);
            removed(removed);
            return removed;
        }
    }

    /** For the EdgeCluster controller's informer (the SDK instantiates it by class). */
    public static final class Clusters extends Store<EdgeCluster> {
    }

    /** For the EdgeNode controller's informer. */
    public static final class Nodes extends Store<EdgeNode> {
    }

    /** For the EdgeApp controller's informer. */
    public static final class Apps extends Store<EdgeApp> {
    }
}
