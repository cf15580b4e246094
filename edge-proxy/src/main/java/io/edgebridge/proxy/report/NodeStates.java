package io.edgebridge.proxy.report;

import io.edgebridge.api.sync.v1.NodeState;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.TreeMap;

/** A K3s node as the hub wants to see it. */
public final class NodeStates {

    /** Label EVE puts on the nodes it runs, when it does. */
    public static final String EVE_VERSION_LABEL = "lf-edge.org/eve-version";

    private NodeStates() {
    }

    public static NodeState of(Node node) {
        var status = node.getStatus();
        boolean ready = status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        String kubelet = status != null && status.getNodeInfo() != null ? status.getNodeInfo().getKubeletVersion()
                : null;
        var labels = node.getMetadata().getLabels();
        String eve = labels == null ? null : labels.get(EVE_VERSION_LABEL);
        Map<String, String> capacity = new TreeMap<>();
        if (status != null && status.getAllocatable() != null) {
            status.getAllocatable().forEach((resource, quantity) -> capacity.put(resource, quantity.toString()));
        }
        return new NodeState(node.getMetadata().getName(), ready, kubelet, eve, capacity.isEmpty() ? null : capacity);
    }
}
