package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.api.sync.v1.SyncPaths;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HubRouteTest {

    @Test
    void theThreeCallsAndTheirCluster() {
        assertEquals(Optional.of(new HubRoute(HubRoute.Call.BOOTSTRAP, null)), HubRoute.of(SyncPaths.BOOTSTRAP));
        assertEquals(Optional.of(new HubRoute(HubRoute.Call.SYNC, "retail-eu.hamburg")),
                HubRoute.of(SyncPaths.sync("retail-eu.hamburg")));
        assertEquals(Optional.of(new HubRoute(HubRoute.Call.RENEW, "retail-eu.hamburg")),
                HubRoute.of(SyncPaths.renew("retail-eu.hamburg")));
    }

    @Test
    void anythingElseIsNoCall() {
        for (var path : new String[] {null, "", "/", "/sync/v1/bootstrap/", "/sync/v1/clusters//sync",
                "/sync/v1/clusters/sync", "/sync/v1/clusters/a/b/sync", "/sync/v1/clusters/a/status",
                "/sync/v2/clusters/a/sync", "/x/sync/v1/clusters/a/sync"}) {
            assertEquals(Optional.empty(), HubRoute.of(path), String.valueOf(path));
        }
    }
}
