package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/** What the operator observed about one EVE device. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeNodeStatus(
        @JsonPropertyDescription("Summary of the device's state.")
        Phase phase,

        @JsonPropertyDescription("Ready: the device runs its K3s node and is ready. Connected: its cluster's edge proxy "
                + "synced with the hub within the cluster's offlineAfter.")
        List<Condition> conditions,

        @JsonPropertyDescription("While the device's cluster is not connected: when its edge proxy last"
                + " synced with the hub (RFC 3339). Empty while connected (see the Connected condition).")
        String lastSeen,

        @JsonPropertyDescription("EVE version the device runs.")
        String eveVersion,

        @JsonPropertyDescription("K3s version of the device's node.")
        String k3sVersion,

        @JsonPropertyDescription("Allocatable resources of the device's K3s node (cpu, memory, pods, ...).")
        Map<String, Quantity> capacity,

        @JsonPropertyDescription("The EdgeCluster this device belongs to.")
        Membership cluster,

        @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration) {

    /** Lifecycle of a device. */
    public enum Phase {
        /** Declared, not yet member of a cluster. */
        Registered,
        /** Member of a cluster that has not reported the device's node ready yet. */
        Provisioning,
        /** Its K3s node is ready and its cluster is connected. */
        Ready,
        /** Its cluster has not synced within offlineAfter. */
        Offline,
        /** spec.quarantine is set: no delivery, credentials rejected. */
        Quarantined
    }

    /** The device's place in its cluster. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Membership(
            @JsonPropertyDescription("Name of the EdgeCluster.")
            String name,

            @JsonPropertyDescription("K3s role of the device in that cluster.")
            NodeRole role,

            @JsonPropertyDescription("Node address allocated from the cluster's network.ipPrefix.")
            String ip) {
    }
}
