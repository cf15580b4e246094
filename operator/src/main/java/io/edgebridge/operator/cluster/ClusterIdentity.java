package io.edgebridge.operator.cluster;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import java.util.Optional;

/**
 * How an edge cluster is named on the wire and in its certificate: {@code <namespace>.<name>}.
 * Namespaces hold no dots, so the first dot separates the two.
 */
public record ClusterIdentity(String namespace, String name) {

    public static String of(EdgeCluster cluster) {
        return cluster.getMetadata().getNamespace() + "." + cluster.getMetadata().getName();
    }

    public static Optional<ClusterIdentity> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int dot = id.indexOf('.');
        if (dot <= 0 || dot == id.length() - 1 || id.length() > 317) {
            return Optional.empty();
        }
        return Optional.of(new ClusterIdentity(id.substring(0, dot), id.substring(dot + 1)));
    }

    @Override
    public String toString() {
        return namespace + "." + name;
    }
}
