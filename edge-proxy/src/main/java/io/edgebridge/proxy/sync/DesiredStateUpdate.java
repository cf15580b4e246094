package io.edgebridge.proxy.sync;

import io.edgebridge.proxy.identity.BundleVerifier;
import io.edgebridge.proxy.identity.VerifiedBundle;
import io.edgebridge.proxy.store.DesiredState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The desired state after a sync reply: the held state plus the changed bundles that verify, minus
 * the removed apps. A bundle that does not verify is refused and the app keeps what it had.
 *
 * @param state the new desired state
 * @param changed whether it differs from the held one (then it must be stored and applied)
 * @param rejected refused bundles, as "app: reason"
 */
public record DesiredStateUpdate(DesiredState state, boolean changed, List<String> rejected) {

    public static DesiredStateUpdate merge(DesiredState held, SyncReply reply, BundleVerifier verifier) {
        var base = held == null ? DesiredState.empty() : held;
        var bundles = new HashMap<String, VerifiedBundle>(base.bundles());
        var withheld = new HashSet<String>(base.withheld());
        var rejected = new ArrayList<String>();
        for (var signed : reply.changed()) {
            var result = verifier.verify(signed.bundle(), signed.signature());
            if (result instanceof BundleVerifier.Accepted accepted) {
                bundles.put(accepted.bundle().app(), accepted.bundle());
                withheld.remove(accepted.bundle().app());
            } else if (result instanceof BundleVerifier.Rejected refused) {
                rejected.add(refused.app() + ": " + refused.reason());
            }
        }
        for (var app : reply.removed()) {
            bundles.remove(app);
            withheld.remove(app);
        }
        // The hub's state hash describes the whole state; with a refused bundle the proxy holds
        // something else, and saying so makes the hub send the bundle again.
        var stateHash = rejected.isEmpty() && withheld.isEmpty() ? reply.stateHash() : null;
        var next = new DesiredState(stateHash, reply.epoch() != null ? reply.epoch() : base.epoch(), bundles, withheld);
        boolean changed = held == null || !Objects.equals(next.stateHash(), held.stateHash())
                || !Objects.equals(next.epoch(), held.epoch()) || !next.bundles().keySet().equals(held.bundles().keySet())
                || !next.known().equals(held.known()) || !next.withheld().equals(held.withheld());
        return new DesiredStateUpdate(next, changed, List.copyOf(rejected));
    }
}
