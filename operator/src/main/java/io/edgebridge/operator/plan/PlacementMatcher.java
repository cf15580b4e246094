package io.edgebridge.operator.plan;

import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import java.util.Map;

/** Whether an app's placement selects a cluster: named in the list, or matched by the selector. */
public final class PlacementMatcher {

    private PlacementMatcher() {
    }

    public static boolean selects(EdgeAppSpec.Placement placement, String cluster, Map<String, String> labels) {
        return (placement.clusters() != null && placement.clusters().contains(cluster))
                || (placement.clusterSelector() != null && LabelSelectors.matches(placement.clusterSelector(), labels));
    }
}
