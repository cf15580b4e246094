package io.edgebridge.proxy.report;

import io.edgebridge.api.sync.v1.NodeState;
import java.util.List;
import java.util.Optional;

/** Facts about the local cluster for the status report. */
public interface ClusterInfo {

    List<NodeState> nodes() throws Exception;

    /** The API server's version, e.g. {@code v1.31.4+k3s1}. */
    Optional<String> serverVersion();
}
