package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/**
 * One app as one edge cluster must run it: the resources of one revision with that cluster's
 * overrides applied.
 *
 * @param app EdgeApp name; also the label the proxy puts on everything it applies for the app
 * @param revision EdgeApp revision the bundle was rendered from
 * @param hash content hash of everything below (and of app and revision); equal hashes mean equal bundles
 * @param targetNamespace namespace for namespaced resources that name none
 * @param resources the objects to apply
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppBundle(
        String app,
        String revision,
        String hash,
        String targetNamespace,
        List<GenericKubernetesResource> resources) {
}
