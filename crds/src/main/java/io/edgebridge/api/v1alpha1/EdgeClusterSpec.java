package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which devices form a K3s cluster, and how it runs and connects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.nodeSelector) || (has(self.nodes) && size(self.nodes) > 0)",
        message = "an EdgeCluster needs members: set nodeSelector, nodes, or both", reason = "FieldValueRequired")
@ValidationRule(value = "!has(self.nodes) || size(self.nodes) == 0 || self.nodes.exists(n, n.role == 'server')",
        message = "nodes must include at least one node with role server", fieldPath = ".nodes")
@ValidationRule(value = "!has(self.nodes) || self.nodes.all(a, self.nodes.exists_one(b, b.name == a.name))",
        message = "each node may be listed only once in nodes", fieldPath = ".nodes")
@ValidationRule(value = "!has(oldSelf.nodes) || !has(self.nodes) || "
        + "oldSelf.nodes.all(o, self.nodes.all(n, n.name != o.name || n.role == o.role))",
        message = "the role of a node cannot be changed once set; remove the node, then add it with the new role",
        fieldPath = ".nodes", reason = "FieldValueForbidden")
public record EdgeClusterSpec(
        @JsonPropertyDescription("Selects member EdgeNodes of this namespace by label. Nodes selected but not listed in "
                + "nodes join as agents, unless no server is listed: then the first by name is the server.")
        LabelSelector nodeSelector,

        @JsonPropertyDescription("Member EdgeNodes by name, with their K3s role.")
        @Size(max = 100)
        List<ClusterNode> nodes,

        @JsonPropertyDescription("K3s settings of the cluster.")
        K3s k3s,

        @JsonPropertyDescription("Network the K3s nodes use to reach each other.")
        Network network,

        @JsonPropertyDescription("How the cluster's edge proxy connects to the hub.")
        Connectivity connectivity,

        @JsonPropertyDescription("Stops delivery of new desired state to the cluster; what runs there keeps running.")
        @Default("false")
        Boolean paused) {

    public static final String DEFAULT_OFFLINE_AFTER = "5m";
    public static final String DEFAULT_POLL_INTERVAL = "30s";

    /** A member device and its role. */
    public record ClusterNode(
            @JsonPropertyDescription("Name of an EdgeNode in this namespace.")
            @Required @Size(min = 1, max = 253) @Pattern(ApiConstants.DNS_SUBDOMAIN_PATTERN)
            String name,

            @JsonPropertyDescription("K3s role of the node: server (control plane) or agent. Cannot be changed once set.")
            @Required
            NodeRole role) {
    }

    /** K3s settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record K3s(
            @JsonPropertyDescription("K3s version, for example v1.33.4+k3s1. When unset, the version EVE ships is used.")
            @Pattern("^v1\\.[0-9]+\\.[0-9]+\\+k3s[0-9]+$")
            String version,

            @JsonPropertyDescription("Extra command-line arguments for K3s on every node, for example --disable=traefik.")
            @Size(max = 32)
            List<String> extraArgs) {
    }

    /** The EVE network that carries K3s traffic between the nodes. */
    // Rules on record components would be emitted twice (field and accessor), so they sit on the record.
    @ValidationRule(value = "isCIDR(self.ipPrefix) && cidr(self.ipPrefix) == cidr(self.ipPrefix).masked()",
            message = "ipPrefix must be a network prefix in CIDR notation with no host bits set, "
                    + "for example 10.20.0.0/24",
            fieldPath = ".ipPrefix")
    @ValidationRule(value = "!isCIDR(self.ipPrefix) || cidr(self.ipPrefix).prefixLength() "
            + "<= (cidr(self.ipPrefix).ip().family() == 4 ? 30 : 126)",
            message = "ipPrefix is too small to hold node addresses: use at most /30 for IPv4 or /126 for IPv6",
            fieldPath = ".ipPrefix")
    public record Network(
            @JsonPropertyDescription("EVE logical label of the interface K3s uses, for example eth0 or ethernet0.")
            @Required @Size(min = 1, max = 63)
            String interfaceLabel,

            @JsonPropertyDescription("Network prefix in CIDR notation (for example 10.20.0.0/24) from which each node "
                    + "gets a stable address.")
            @Required @Size(min = 3, max = 43)
            String ipPrefix) {
    }

    /** How the cluster's link behaves. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Connectivity(
            @JsonPropertyDescription("How long after its last sync the cluster counts as offline, as a duration "
                    + "(for example 5m). Offline clusters never block a rollout.")
            @Default(DEFAULT_OFFLINE_AFTER) @Pattern(ApiConstants.DURATION_PATTERN)
            String offlineAfter,

            @JsonPropertyDescription("Hint for how often the edge proxy should sync when idle, as a duration "
                    + "(for example 30s); longer saves bandwidth on metered links.")
            @Default(DEFAULT_POLL_INTERVAL) @Pattern(ApiConstants.DURATION_PATTERN)
            String pollInterval) {
    }

    public boolean pausedOrDefault() {
        return Boolean.TRUE.equals(paused);
    }
}
