package io.edgebridge.operator.cluster;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterSpec;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.NodeRole;
import io.edgebridge.operator.plan.LabelSelectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which EdgeNodes belong to which EdgeCluster of a namespace. A device claimed by two clusters
 * stays with the one it already belongs to (or the oldest claimant), and both report the conflict:
 * a device is never provisioned into two clusters.
 */
public final class Membership {

    /** A member device with its K3s role. */
    public record Member(EdgeNode node, NodeRole role) {
        public String name() {
            return node.getMetadata().getName();
        }
    }

    /**
     * @param members this cluster's members, by name, servers first
     * @param missing names listed in spec.nodes with no EdgeNode
     * @param conflicts node name to the other clusters claiming it (members and lost nodes alike)
     * @param lost nodes this cluster claims but another cluster keeps
     */
    public record Result(List<Member> members, List<String> missing, Map<String, List<String>> conflicts,
            List<String> lost) {
    }

    private Membership() {
    }

    public static Result resolve(EdgeCluster cluster, List<EdgeNode> nodes, List<EdgeCluster> clusters) {
        Map<String, EdgeNode> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.getMetadata().getName(), n));

        Map<String, List<EdgeCluster>> claimants = new HashMap<>();
        for (var claimant : clusters) {
            for (var node : claimed(claimant, nodes)) {
                claimants.computeIfAbsent(node, k -> new ArrayList<>()).add(claimant);
            }
        }

        var spec = cluster.getSpec();
        var name = cluster.getMetadata().getName();
        Map<String, NodeRole> listedRoles = new HashMap<>();
        if (spec.nodes() != null) {
            spec.nodes().forEach(n -> listedRoles.put(n.name(), n.role()));
        }
        List<String> missing = listedRoles.keySet().stream().filter(n -> !byName.containsKey(n)).sorted().toList();

        Map<String, List<String>> conflicts = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        for (var nodeName : claimed(cluster, nodes)) {
            var others = claimants.getOrDefault(nodeName, List.of()).stream()
                    .filter(c -> !c.getMetadata().getName().equals(name)).toList();
            if (!others.isEmpty()) {
                conflicts.put(nodeName, others.stream().map(c -> c.getMetadata().getName()).sorted().toList());
                if (!keeper(byName.get(nodeName), claimants.get(nodeName)).getMetadata().getName().equals(name)) {
                    lost.add(nodeName);
                    continue;
                }
            }
            members.add(new Member(byName.get(nodeName), listedRoles.getOrDefault(nodeName, NodeRole.AGENT)));
        }
        members.sort(Comparator.comparing(Member::name));
        boolean hasServer = members.stream().anyMatch(m -> m.role() == NodeRole.SERVER);
        if (!hasServer && !members.isEmpty()) {
            // Selector-only clusters: the first device by name bootstraps the control plane.
            members.set(0, new Member(members.get(0).node(), NodeRole.SERVER));
        }
        members.sort(Comparator.comparing((Member m) -> m.role() == NodeRole.SERVER ? 0 : 1)
                .thenComparing(Member::name));
        return new Result(List.copyOf(members), missing, conflicts, List.copyOf(lost));
    }

    /** Names of existing nodes a cluster claims by list or selector. */
    static List<String> claimed(EdgeCluster cluster, List<EdgeNode> nodes) {
        EdgeClusterSpec spec = cluster.getSpec();
        if (spec == null) {
            return List.of();
        }
        var listed = spec.nodes() == null ? List.<String>of()
                : spec.nodes().stream().map(EdgeClusterSpec.ClusterNode::name).toList();
        return nodes.stream()
                .map(n -> n.getMetadata().getName())
                .filter(n -> listed.contains(n) || (spec.nodeSelector() != null
                        && selected(spec, nodes, n)))
                .sorted().toList();
    }

    private static boolean selected(EdgeClusterSpec spec, List<EdgeNode> nodes, String name) {
        return nodes.stream().filter(n -> n.getMetadata().getName().equals(name)).findFirst()
                .map(n -> LabelSelectors.matches(spec.nodeSelector(), n.getMetadata().getLabels())).orElse(false);
    }

    /** The claimant that keeps a contested node: the one it belongs to now, else the oldest. */
    private static EdgeCluster keeper(EdgeNode node, List<EdgeCluster> claimants) {
        var incumbent = node.getStatus() == null || node.getStatus().cluster() == null ? null
                : node.getStatus().cluster().name();
        return claimants.stream()
                .filter(c -> Objects.equals(c.getMetadata().getName(), incumbent))
                .findFirst()
                .orElseGet(() -> claimants.stream()
                        .min(Comparator.comparing((EdgeCluster c) -> String.valueOf(c.getMetadata().getCreationTimestamp()))
                                .thenComparing(c -> c.getMetadata().getName()))
                        .orElseThrow());
    }
}
