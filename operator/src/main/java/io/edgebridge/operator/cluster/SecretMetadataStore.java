package io.edgebridge.operator.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * Keeps only the metadata of our Secrets in memory: tens of thousands of clusters hold several
 * Secrets each, and the reconciler decides from content hashes in annotations; it reads a Secret's
 * data from the API server in the rare case it has to rewrite one.
 */
public class SecretMetadataStore extends BasicItemStore<Secret> {

    public SecretMetadataStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Secret put(String key, Secret secret) {
        var metadata = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(secret.getMetadata())
                .withManagedFields()
                .build();
        return super.put(key, new SecretBuilder().withMetadata(metadata).withType(secret.getType()).build());
    }
}
