package io.edgebridge.proxy.apply;

import java.util.Map;

/**
 * One round of applying the desired state.
 *
 * @param apps by app name, for every app of the desired state
 * @param errors object operations that failed in this round (applies, namespace creations, deletions)
 * @param complete every app could be planned; false when API discovery failed (the API server is
 *     down or restarting), so the round should be repeated soon
 */
public record EnforcementResult(Map<String, AppOutcome> apps, int errors, boolean complete) {

    public EnforcementResult {
        apps = Map.copyOf(apps);
    }
}
