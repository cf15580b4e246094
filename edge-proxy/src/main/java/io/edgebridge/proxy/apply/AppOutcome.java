package io.edgebridge.proxy.apply;

import java.util.List;
import java.util.Set;

/**
 * How applying one app went.
 *
 * @param errors objects that were not applied, with the reason; empty when all were
 * @param applied objects the cluster accepted in this round (a later disappearance of one of them is drift)
 */
public record AppOutcome(String app, String revision, String bundleHash, List<ObjectError> errors,
        Set<ObjectRef> applied) {

    public AppOutcome {
        errors = List.copyOf(errors);
        applied = Set.copyOf(applied);
    }

    public boolean failed() {
        return !errors.isEmpty();
    }
}
