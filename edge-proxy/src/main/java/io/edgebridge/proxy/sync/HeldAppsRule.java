package io.edgebridge.proxy.sync;

import io.edgebridge.api.sync.v1.StatusReport;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.proxy.store.DesiredState;
import java.util.Map;

/**
 * When a sync lists the apps the proxy holds. A whole state is named by its hash, so the list stays
 * home and every long-poll carries less; it goes when the state is incomplete (never synced, a
 * refused bundle, an answer in parts), or once after the hub answered 409 because it does not know
 * the hash (it restarted). One instance per proxy; not thread-safe, used by its sync loop only.
 */
public final class HeldAppsRule {

    private boolean asked;

    /** The request for the next sync. */
    public SyncRequest request(DesiredState held, StatusReport status) {
        boolean list = held == null || held.stateHash() == null || asked;
        return new SyncRequest(list ? (held == null ? Map.<String, String>of() : held.known()) : null,
                held == null ? null : held.stateHash(), held == null ? null : held.epoch(), status);
    }

    /** An answer came: the hub knows the state again. */
    public void answered() {
        asked = false;
    }

    /**
     * Whether the failure is the hub asking for the list; then the next request carries it and should
     * go at once. A second 409 in a row is a failure like any other.
     */
    public boolean listAsked(HubException e) {
        if (e.status() == 409 && !asked) {
            asked = true;
            return true;
        }
        return false;
    }
}
