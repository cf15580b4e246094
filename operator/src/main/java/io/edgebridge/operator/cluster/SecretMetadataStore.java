package io.edgebridge.operator.cluster;

import io.edgebridge.operator.fleet.SharedObjects;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;

/**
 * Keeps only what the reconciler reads of our Secrets: their name, labels, annotations and owner.
 * Tens of thousands of clusters hold three Secrets each, and the reconciler decides from content
 * hashes in annotations; it reads a Secret's data from the API server in the rare case it has to
 * rewrite one. The Secret the informer received is trimmed in place (it is the informer's own
 * copy): no data, no managed fields, the model's empty maps one shared map, and the strings its
 * owner reference and labels repeat (the owning cluster's name and uid, the few label values) one
 * shared copy. A heap dump at 10,000 clusters had about 1.7 KB per Secret before.
 */
public class SecretMetadataStore extends BasicItemStore<Secret> {

    private static final Map<String, String> NO_STRINGS = Map.of();
    private static final Map<String, Object> NO_FIELDS = Map.of();

    public SecretMetadataStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Secret put(String key, Secret secret) {
        return super.put(key, trim(secret));
    }

    static Secret trim(Secret secret) {
        secret.setData(NO_STRINGS);
        secret.setStringData(NO_STRINGS);
        secret.setAdditionalProperties(NO_FIELDS);
        secret.setApiVersion(SharedObjects.word(secret.getApiVersion()));
        secret.setKind(SharedObjects.word(secret.getKind()));
        secret.setType(SharedObjects.word(secret.getType()));
        var meta = secret.getMetadata();
        if (meta == null) {
            return secret;
        }
        meta.setManagedFields(List.of());
        meta.setAdditionalProperties(NO_FIELDS);
        if (meta.getFinalizers() != null && meta.getFinalizers().isEmpty()) {
            meta.setFinalizers(List.of());
        }
        meta.setNamespace(SharedObjects.word(meta.getNamespace()));
        if (meta.getOwnerReferences() != null) {
            meta.getOwnerReferences().forEach(SharedObjects::shareOwnerStrings);
        }
        var labels = meta.getLabels();
        if (labels != null) {
            var owners = meta.getOwnerReferences() == null ? List.<OwnerReference>of()
                    : meta.getOwnerReferences();
            labels.replaceAll((label, value) -> ClusterSecrets.CLUSTER_LABEL.equals(label)
                    ? ownerName(owners, value) : SharedObjects.word(value));
        }
        return secret;
    }

    /** The owner's name string when the cluster label names the owner, as it does for every Secret we make. */
    private static String ownerName(List<OwnerReference> owners, String value) {
        for (var owner : owners) {
            if (value != null && value.equals(owner.getName())) {
                return owner.getName();
            }
        }
        return value;
    }
}
