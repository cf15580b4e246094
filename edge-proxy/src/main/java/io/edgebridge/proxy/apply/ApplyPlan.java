package io.edgebridge.proxy.apply;

import java.util.List;
import java.util.Set;

/**
 * What to do for one app.
 *
 * @param apply objects to apply, namespaces and CRDs first, then in bundle order
 * @param prune objects EdgeBridge applied for the app that it no longer has; in deletion order
 *     (namespaced objects, then cluster-scoped, CRDs and namespaces last)
 * @param retain objects EdgeBridge applied for the app that it no longer has but must not prune
 *     yet: while some objects of the bundle cannot be planned, nothing is pruned
 * @param errors objects that cannot be applied (unknown kind, no name)
 * @param namespaces namespaces the app's objects go into that the bundle does not itself create
 */
public record ApplyPlan(String app, String revision, String bundleHash, List<PlannedObject> apply,
        List<ObjectRef> prune, List<ObjectRef> retain, List<ObjectError> errors, Set<String> namespaces) {

    public ApplyPlan {
        apply = List.copyOf(apply);
        prune = List.copyOf(prune);
        retain = List.copyOf(retain);
        errors = List.copyOf(errors);
        namespaces = Set.copyOf(namespaces);
    }

    /** The inventory once the plan is carried out. */
    public List<ObjectRef> wanted() {
        return apply.stream().map(PlannedObject::ref).toList();
    }
}
