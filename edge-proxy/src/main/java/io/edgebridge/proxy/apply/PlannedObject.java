package io.edgebridge.proxy.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * One object to apply: the bundle's manifest with its namespace resolved and EdgeBridge's labels set.
 */
public record PlannedObject(ObjectRef ref, ResourceType type, GenericKubernetesResource manifest) {

    /** Namespaces and CRDs go first: everything else may live in or be of them. */
    public boolean isFoundation() {
        return ref.describesNamespace() || ref.describesCrd();
    }
}
