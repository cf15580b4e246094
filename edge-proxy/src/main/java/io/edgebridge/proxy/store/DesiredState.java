package io.edgebridge.proxy.store;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.proxy.identity.VerifiedBundle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the edge cluster must run, as last received from the hub.
 *
 * @param stateHash the hub's hash of this state; null while the proxy holds less than a whole state
 *     (a bundle was refused or could not be re-verified)
 * @param epoch the hub epoch of the response this came from
 * @param bundles by app name, every one verified
 * @param withheld apps the state has but whose bundle is not trusted now: neither applied nor
 *     removed, and not reported as known so that the hub sends them again
 */
public record DesiredState(String stateHash, String epoch, Map<String, VerifiedBundle> bundles,
        Set<String> withheld) {

    public DesiredState {
        bundles = new TreeMap<>(bundles);
        withheld = new TreeSet<>(withheld);
    }

    public static DesiredState empty() {
        return new DesiredState(null, null, Map.of(), Set.of());
    }

    /** App name to bundle hash: what the proxy tells the hub it holds. */
    public Map<String, String> known() {
        return bundles.values().stream().collect(Collectors.toMap(VerifiedBundle::app, VerifiedBundle::hash,
                (a, b) -> a, TreeMap::new));
    }

    public List<AppBundle> appBundles() {
        return bundles.values().stream().map(VerifiedBundle::bundle).toList();
    }
}
