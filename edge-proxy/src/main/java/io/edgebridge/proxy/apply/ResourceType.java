package io.edgebridge.proxy.apply;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** A kind as the API server serves it: its REST name and whether its objects live in a namespace. */
public record ResourceType(String group, String version, String kind, String plural, boolean namespaced) {

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }
}
