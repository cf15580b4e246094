package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The K3s role of a device in its cluster. */
public enum NodeRole {
    /** Runs the K3s control plane (and workloads); the first server bootstraps the cluster. */
    @JsonProperty("server")
    SERVER,
    /** Runs workloads only and joins a server. */
    @JsonProperty("agent")
    AGENT
}
