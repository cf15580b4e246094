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

/** A workload placed on the EdgeClusters of its namespace, rolled out in waves. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("EdgeApp")
@Plural("edgeapps")
@Singular("edgeapp")
@ShortNames("ea")
@Categories(ApiConstants.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.display.ready")
@AdditionalPrinterColumn(name = "Up-To-Date", jsonPath = ".status.summary.updated", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "has(self.spec)", message = "spec is required", reason = "FieldValueRequired")
@ValidationRule(value = "self.metadata.name.size() <= 63",
        message = "name must be at most 63 characters: it is used as a label value on the edge")
public class EdgeApp extends CustomResource<EdgeAppSpec, EdgeAppStatus> implements Namespaced {

    @Override
    protected EdgeAppSpec initSpec() {
        return null;
    }

    @Override
    protected EdgeAppStatus initStatus() {
        return null;
    }
}
