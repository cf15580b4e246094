package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The full, current state of an edge cluster as its proxy sees it. Level-based: every report
 * replaces the previous one; {@code seq} grows with every new report so a late or repeated one is
 * recognised and ignored.
 *
 * @param seq monotonic per proxy, kept in its state directory across restarts
 * @param appliedStateHash state hash of the desired state the proxy has applied
 * @param certificateExpiry when the proxy's client certificate expires (RFC 3339)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusReport(
        long seq,
        String proxyVersion,
        String k3sVersion,
        String appliedStateHash,
        String certificateExpiry,
        List<AppState> apps,
        List<NodeState> nodes) {
}
