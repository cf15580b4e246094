package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The hub's answer: only the bundles whose hash differs from what the proxy holds, and the apps
 * it must remove. Applying both, the proxy holds the state identified by {@code stateHash}.
 *
 * @param stateHash the whole state's hash; null when this answer carries only part of the changed
 *     bundles (together they would be too large): the proxy applies them and syncs again at once,
 *     sending the list of what it holds
 *
 * @param changed bundles to apply, each signed by the hub
 * @param removed apps to remove with everything they applied
 * @param ack the status sequence number the hub recorded (or had already recorded), or null
 * @param epoch the hub's epoch; when it differs from the one the proxy had, the proxy re-sends its status
 * @param pollAfterSeconds how long to wait before the next sync (0: at once)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncResponse(String stateHash, List<SignedBundle> changed, List<String> removed, Long ack, String epoch,
        Integer pollAfterSeconds) {
}
