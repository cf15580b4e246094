package io.edgebridge.operator.cluster;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterSpec;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.NodeRole;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.plan.LabelSelectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    /** What resolving needs to know about a namespace's fleet; the operator answers from indexed caches. */
    public interface Fleet {
        Optional<EdgeNode> node(String name);

        /** Every node: asked only for clusters that select nodes by label. */
        List<EdgeNode> nodes();

        /** Clusters that may claim this node: those listing it, and those with a node selector. */
        List<EdgeCluster> claimants(String nodeName);

        /** One namespace of the operator's indexed caches. */
        static Fleet of(FleetCache cache, String namespace) {
            return new Fleet() {
                @Override
                public Optional<EdgeNode> node(String name) {
                    return cache.node(namespace, name);
                }

                @Override
                public List<EdgeNode> nodes() {
                    return cache.nodes(namespace);
                }

                @Override
                public List<EdgeCluster> claimants(String nodeName) {
                    return cache.claimants(namespace, nodeName);
                }
            };
        }

        /** A fleet held in lists (tests, small fleets). */
        static Fleet of(List<EdgeNode> nodes, List<EdgeCluster> clusters) {
            Map<String, EdgeNode> byName = new HashMap<>();
            nodes.forEach(n -> byName.put(n.getMetadata().getName(), n));
            return new Fleet() {
                @Override
                public Optional<EdgeNode> node(String name) {
                    return Optional.ofNullable(byName.get(name));
                }

                @Override
                public List<EdgeNode> nodes() {
                    return nodes;
                }

                @Override
                public List<EdgeCluster> claimants(String nodeName) {
                    return clusters;
                }
            };
        }
    }

    public static Result resolve(EdgeCluster cluster, List<EdgeNode> nodes, List<EdgeCluster> clusters) {
        return resolve(cluster, Fleet.of(nodes, clusters));
    }

    /**
     * Costs this cluster's nodes, not the fleet: a reconcile of one cluster must not touch ten
     * thousand others (only a cluster with a node selector looks at every node).
     */
    public static Result resolve(EdgeCluster cluster, Fleet fleet) {
        var spec = cluster.getSpec();
        var name = cluster.getMetadata().getName();
        Map<String, NodeRole> listedRoles = new HashMap<>();
        if (spec != null && spec.nodes() != null) {
            spec.nodes().forEach(n -> listedRoles.put(n.name(), n.role()));
        }
        List<String> missing = listedRoles.keySet().stream().filter(n -> fleet.node(n).isEmpty()).sorted().toList();
        var mine = claimed(cluster, fleet);

        Map<String, List<String>> conflicts = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        for (var node : mine) {
            var nodeName = node.getMetadata().getName();
            var others = fleet.claimants(nodeName).stream()
                    .filter(c -> !c.getMetadata().getName().equals(name) && claims(c, node)).toList();
            if (!others.isEmpty()) {
                conflicts.put(nodeName, others.stream().map(c -> c.getMetadata().getName()).sorted().toList());
                var all = new ArrayList<>(others);
                all.add(cluster);
                if (!keeper(node, all).getMetadata().getName().equals(name)) {
                    lost.add(nodeName);
                    continue;
                }
            }
            members.add(new Member(node, listedRoles.getOrDefault(nodeName, NodeRole.AGENT)));
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

    /** Existing nodes a cluster claims by list or selector, by name. */
    private static List<EdgeNode> claimed(EdgeCluster cluster, Fleet fleet) {
        EdgeClusterSpec spec = cluster.getSpec();
        if (spec == null) {
            return List.of();
        }
        Map<String, EdgeNode> claimed = new TreeMap<>();
        if (spec.nodes() != null) {
            spec.nodes().forEach(n -> fleet.node(n.name()).ifPresent(node -> claimed.put(n.name(), node)));
        }
        if (spec.nodeSelector() != null) {
            for (var node : fleet.nodes()) {
                if (LabelSelectors.matches(spec.nodeSelector(), node.getMetadata().getLabels())) {
                    claimed.put(node.getMetadata().getName(), node);
                }
            }
        }
        return List.copyOf(claimed.values());
    }

    /** Whether a cluster claims this node, by list or by selector. */
    private static boolean claims(EdgeCluster cluster, EdgeNode node) {
        var spec = cluster.getSpec();
        if (spec == null || node == null) {
            return false;
        }
        var nodeName = node.getMetadata().getName();
        if (spec.nodes() != null && spec.nodes().stream().anyMatch(n -> n.name().equals(nodeName))) {
            return true;
        }
        return spec.nodeSelector() != null && LabelSelectors.matches(spec.nodeSelector(), node.getMetadata().getLabels());
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
