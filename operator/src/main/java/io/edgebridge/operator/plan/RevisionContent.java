package io.edgebridge.operator.plan;

import io.edgebridge.api.sync.v1.CanonicalJson;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import io.edgebridge.api.v1alpha1.EmbeddedResource;
import java.util.List;

/**
 * What a revision delivers: the resources, the overrides and the namespace they land in. Placement,
 * rollout settings and suspend only decide who gets it when, so changing them makes no new revision.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionContent(
        List<EmbeddedResource> resources,
        List<EdgeAppSpec.ClusterOverride> overrides,
        String targetNamespace) {

    /** Revision names are this many hex digits of the content hash, as short as kubectl shows. */
    public static final int REVISION_HEX_DIGITS = 10;

    public static RevisionContent of(EdgeApp app) {
        var spec = app.getSpec();
        var namespace = spec.targetNamespace() != null ? spec.targetNamespace() : app.getMetadata().getNamespace();
        return new RevisionContent(spec.resources() == null ? List.of() : spec.resources(),
                spec.overrides() == null ? List.of() : spec.overrides(), namespace);
    }

    public String revision() {
        return CanonicalJson.hash(this, REVISION_HEX_DIGITS);
    }
}
