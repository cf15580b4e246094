package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/** What the operator and the cluster's edge proxy observed about one K3s cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeClusterStatus(
        @JsonPropertyDescription("Summary of the cluster's state.")
        Phase phase,

        @JsonPropertyDescription("Ready: all nodes ready and all apps at their desired revision. Connected: the edge "
                + "proxy synced within offlineAfter. Provisioned: every member node has its EVE-k settings.")
        List<Condition> conditions,

        @JsonPropertyDescription("Member nodes as the edge proxy reports them.")
        @Size(max = 100)
        List<NodeStatus> nodes,

        @JsonPropertyDescription("Number of member nodes that are ready.")
        Integer readyNodes,

        @JsonPropertyDescription("Number of member nodes.")
        Integer totalNodes,

        @JsonPropertyDescription("K3s version the cluster runs.")
        String k3sVersion,

        @JsonPropertyDescription("When the edge proxy last synced with the hub (RFC 3339); refreshed every few "
                + "minutes while connected.")
        String lastSeen,

        @JsonPropertyDescription("When the hub saw the edge proxy go away (RFC 3339); cleared when it returns.")
        String disconnectedAt,

        @JsonPropertyDescription("The edge proxy running in the cluster.")
        ProxyStatus proxy,

        @JsonPropertyDescription("Apps delivered to this cluster, as the edge proxy reports them (at most 256).")
        @Size(max = 256)
        List<AppStatus> apps,

        @JsonPropertyDescription("K3s nodes as the edge proxy reports them.")
        @Size(max = 100)
        List<ReportedNode> reportedNodes,

        @JsonPropertyDescription("Name of the Secret holding the edge proxy's one-time bootstrap token.")
        String bootstrapTokenSecret,

        @JsonPropertyDescription("Short texts for kubectl columns.")
        Display display,

        @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration) {

    /** Lifecycle of a cluster. */
    public enum Phase {
        /** Members are being resolved. */
        Pending,
        /** Members have their EVE-k settings; the edge proxy has not connected yet. */
        Provisioning,
        /** Connected, all nodes ready, all apps at their desired revision. */
        Ready,
        /** Connected, but a node or an app is not ready. */
        Degraded,
        /** The edge proxy has not synced within offlineAfter. */
        Offline,
        /** spec.paused is set. */
        Paused
    }

    /** One K3s node of the cluster. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeStatus(
            @JsonPropertyDescription("Name of the EdgeNode.")
            String name,

            @JsonPropertyDescription("K3s role of the node.")
            NodeRole role,

            @JsonPropertyDescription("Allocated node address.")
            String ip,

            @JsonPropertyDescription("Whether the K3s node is ready.")
            Boolean ready) {
    }

    /** A K3s node as the edge proxy sees it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportedNode(
            @JsonPropertyDescription("K3s node name; matched to an EdgeNode by name, deviceId or serialNumber.")
            String name,

            @JsonPropertyDescription("Whether the K3s node is Ready.")
            Boolean ready,

            @JsonPropertyDescription("Kubelet (K3s) version of the node.")
            String k3sVersion,

            @JsonPropertyDescription("EVE version of the device, when the node's labels tell it.")
            String eveVersion,

            @JsonPropertyDescription("Allocatable resources of the node.")
            Map<String, Quantity> capacity) {
    }

    /** The edge proxy of the cluster. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProxyStatus(
            @JsonPropertyDescription("Version of the edge proxy.")
            String version,

            @JsonPropertyDescription("Hash of the desired state the edge proxy has applied.")
            String appliedStateHash,

            @JsonPropertyDescription("When the edge proxy's client certificate expires (RFC 3339).")
            String certificateExpiry) {
    }

    /** One app as applied in the cluster. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AppStatus(
            @JsonPropertyDescription("Name of the EdgeApp.")
            String name,

            @JsonPropertyDescription("Revision of the EdgeApp applied in the cluster.")
            String revision,

            @JsonPropertyDescription("Whether every resource of the app is ready.")
            Boolean ready,

            @JsonPropertyDescription("Whether the edge failed to apply or run the app; message says why.")
            Boolean failed,

            @JsonPropertyDescription("Why the app is not ready, as the edge reports it.")
            @Size(max = 1024)
            String message) {
    }

    /** Texts for printer columns, which cannot combine fields. */
    public record Display(
            @JsonPropertyDescription("Ready nodes over all nodes, for example 2/3.")
            String nodes) {
    }
}
