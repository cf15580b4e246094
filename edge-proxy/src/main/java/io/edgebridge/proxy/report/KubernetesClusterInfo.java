package io.edgebridge.proxy.report;

import io.edgebridge.api.sync.v1.NodeState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Nodes and version of the local cluster, from its API server. */
public final class KubernetesClusterInfo implements ClusterInfo {

    private final KubernetesClient client;

    public KubernetesClusterInfo(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<NodeState> nodes() {
        return client.nodes().list().getItems().stream().map(NodeStates::of)
                .sorted(Comparator.comparing(NodeState::name)).toList();
    }

    @Override
    public Optional<String> serverVersion() {
        // Asked every time (one small GET): an in-place K3s upgrade changes it under a running proxy.
        try {
            var info = client.getKubernetesVersion();
            return Optional.ofNullable(info == null ? null : info.getGitVersion());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
