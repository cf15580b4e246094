package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One K3s node of the edge cluster.
 *
 * @param capacity allocatable resources (cpu, memory, pods) as Kubernetes quantities
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeState(String name, boolean ready, String k3sVersion, String eveVersion,
        Map<String, String> capacity) {
}
