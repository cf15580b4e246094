package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Body of {@code POST /sync/v1/clusters/{cluster}/sync}: what the proxy holds, and its status when
 * that changed since the hub last acknowledged one.
 *
 * @param known app name to the hash of the bundle the proxy holds (persisted, verified); null when
 *     {@code stateHash} names the whole state the proxy holds (the hub then knows the list, or
 *     answers 409 to ask for it)
 * @param stateHash the state hash of the last response the proxy fully applied, or null
 * @param epoch the hub epoch of the last response, or null on first contact
 * @param status the proxy's full status, or null when the hub already acknowledged the current one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncRequest(Map<String, String> known, String stateHash, String epoch, StatusReport status) {
}
