package io.edgebridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A K3s cluster formed by one or more EdgeNodes, reached through the edge proxy it runs. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("EdgeCluster")
@Plural("edgeclusters")
@Singular("edgecluster")
@ShortNames("ec")
@Categories(ApiConstants.CATEGORY)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.display.nodes")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "K3s", jsonPath = ".status.k3sVersion")
@AdditionalPrinterColumn(name = "Last Seen", jsonPath = ".status.lastSeen", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "has(self.spec)", message = "spec is required", reason = "FieldValueRequired")
@ValidationRule(value = "self.metadata.name.size() <= 63",
        message = "name must be at most 63 characters: it is used as a label value on the edge")
public class EdgeCluster extends CustomResource<EdgeClusterSpec, EdgeClusterStatus> implements Namespaced {

    @Override
    protected EdgeClusterSpec initSpec() {
        return null;
    }

    @Override
    protected EdgeClusterStatus initStatus() {
        return null;
    }
}
