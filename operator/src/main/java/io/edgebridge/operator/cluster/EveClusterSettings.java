package io.edgebridge.operator.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one device needs to join its K3s cluster, in the terms of EVE's edge-node-cluster
 * configuration. EVE's controller takes it from the node's Secret; it encrypts the cluster token
 * and the manifest for the device before sending them.
 *
 * @param clusterIpPrefix the node's own address with the prefix length, as EVE applies it to the interface
 * @param joinServerIp address of the bootstrap server node
 * @param bootstrapNode whether this node brings the cluster up first and owns joinServerIp
 * @param registrationManifestGzipBase64 set on the bootstrap node only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EveClusterSettings(
        String clusterName,
        String clusterId,
        String clusterInterface,
        String clusterIpPrefix,
        boolean isWorkerNode,
        String joinServerIp,
        boolean bootstrapNode,
        String clusterType,
        String clusterToken,
        String registrationManifestGzipBase64) {

    /** K3s with externally managed storage (EVE's K3S_BASE). */
    public static final String K3S_BASE = "K3S_BASE";
}
