package io.edgebridge.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * A Kubernetes object written inside an EdgeApp, kept exactly as the user wrote it.
 *
 * <p>The schema is replaced wholesale because the generator marks a {@link GenericKubernetesResource}
 * as embedded but would let the API server prune every field other than apiVersion, kind and
 * metadata; preserving unknown fields keeps the whole object.
 */
@SchemaCustomizer(value = SchemaCustomizer.RawCustomizer.class, input = """
        {"type":"object",\
        "description":"A Kubernetes object (apiVersion, kind, metadata and the rest) to run on the edge.",\
        "x-kubernetes-embedded-resource":true,\
        "x-kubernetes-preserve-unknown-fields":true}""")
public class EmbeddedResource extends GenericKubernetesResource {
}
