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

/** One Project EVE device, known by its serial number, member of at most one EdgeCluster. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("EdgeNode")
@Plural("edgenodes")
@Singular("edgenode")
@ShortNames("en")
@Categories(ApiConstants.CATEGORY)
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".status.cluster.name")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Last Seen", jsonPath = ".status.lastSeen", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "EVE", jsonPath = ".status.eveVersion")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "has(self.spec)", message = "spec is required", reason = "FieldValueRequired")
public class EdgeNode extends CustomResource<EdgeNodeSpec, EdgeNodeStatus> implements Namespaced {

    @Override
    protected EdgeNodeSpec initSpec() {
        return null;
    }

    @Override
    protected EdgeNodeStatus initStatus() {
        return null;
    }
}
