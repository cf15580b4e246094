package io.edgebridge.proxy.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operations the proxy performs on the local cluster, one object at a time. The real one is
 * {@link ServerSideApplier}; tests of the sync loop use an in-memory one.
 */
public interface Applier {

    /** Server-side apply as field manager {@value Labels#FIELD_MANAGER}, taking over conflicting fields. */
    GenericKubernetesResource apply(PlannedObject object) throws ApplyException;

    /** Creates the namespace when it does not exist. */
    void ensureNamespace(String name) throws ApplyException;

    /** The object as the cluster has it now; empty when it does not exist or its kind is not served. */
    Optional<GenericKubernetesResource> read(ObjectRef ref) throws ApplyException;

    /**
     * The app's objects as the cluster has them now; a ref without an entry does not exist, or no
     * longer carries the app's label (so the next apply restores it).
     */
    default Map<ObjectRef, GenericKubernetesResource> readAll(String app, Collection<ObjectRef> refs)
            throws ApplyException {
        var found = new HashMap<ObjectRef, GenericKubernetesResource>();
        for (var ref : refs) {
            var live = read(ref);
            if (live.isPresent() && LiveObjects.label(live.get(), Labels.APP).filter(app::equals).isPresent()) {
                found.put(ref, live.get());
            }
        }
        return found;
    }

    /**
     * Deletes the object only if it still carries {@code edgebridge.io/app=<app>} and has not changed
     * since it was looked at: an object someone else re-created under the same name is left alone.
     */
    DeleteResult deleteIfOwned(ObjectRef ref, String app) throws ApplyException;

    enum DeleteResult {
        DELETED,
        /** Already gone (or its kind is). */
        ABSENT,
        /** Exists but no longer belongs to the app; left alone. */
        NOT_OWNED
    }
}
