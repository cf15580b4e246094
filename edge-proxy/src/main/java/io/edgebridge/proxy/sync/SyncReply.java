package io.edgebridge.proxy.sync;

import java.util.List;

/**
 * The hub's answer to a sync ({@link io.edgebridge.api.sync.v1.SyncResponse}) with the changed
 * bundles kept as received, so their signatures are checked over exactly what the hub signed.
 */
public record SyncReply(String stateHash, List<SignedContent> changed, List<String> removed, Long ack, String epoch,
        Integer pollAfterSeconds) {

    public SyncReply {
        changed = changed == null ? List.of() : List.copyOf(changed);
        removed = removed == null ? List.of() : List.copyOf(removed);
    }
}
