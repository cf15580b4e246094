package io.edgebridge.proxy.report;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.proxy.apply.AppOutcome;
import io.edgebridge.proxy.apply.Applier;
import io.edgebridge.proxy.apply.ApplyException;
import io.edgebridge.proxy.apply.ObjectRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-app status from the last apply and from the objects as the cluster has them now. Objects that
 * were applied and have since disappeared are drift: they are reported so the proxy restores them.
 */
public final class AppStatusCollector {

    /** Status messages travel to the hub and into EdgeCluster status; keep them short. */
    static final int MAX_MESSAGE = 300;

    private final Applier applier;

    public AppStatusCollector(Applier applier) {
        this.applier = applier;
    }

    /**
     * @param apps the app states, sorted by name
     * @param missing objects applied in the last round that no longer exist (or lost the app's label)
     */
    public record Collected(List<AppState> apps, Set<ObjectRef> missing) {
    }

    /**
     * @param outcomes the last apply of each app; an app without one (or with one for another bundle)
     *     is waiting to be applied
     * @param withheld apps whose bundle could not be trusted after a restart
     */
    public Collected collect(Collection<AppBundle> bundles, Map<String, AppOutcome> outcomes, Set<String> withheld) {
        var apps = new ArrayList<AppState>();
        var missing = new HashSet<ObjectRef>();
        for (var bundle : bundles) {
            var outcome = outcomes.get(bundle.app());
            if (outcome == null || !bundle.hash().equals(outcome.bundleHash())) {
                apps.add(new AppState(bundle.app(), bundle.revision(), bundle.hash(), false, false,
                        "waiting to be applied"));
                continue;
            }
            apps.add(appState(bundle, outcome, missing));
        }
        for (var app : withheld) {
            apps.add(new AppState(app, null, null, false, false,
                    "the stored bundle failed verification; waiting for the hub to send it again"));
        }
        apps.sort(Comparator.comparing(AppState::name));
        return new Collected(List.copyOf(apps), Set.copyOf(missing));
    }

    private AppState appState(AppBundle bundle, AppOutcome outcome, Set<ObjectRef> missing) {
        var problems = new ArrayList<String>();
        outcome.errors().forEach(error -> problems.add(error.toString()));
        boolean failed = outcome.failed();
        boolean ready = !failed;
        try {
            var live = applier.readAll(bundle.app(), outcome.applied());
            for (var ref : outcome.applied().stream().sorted(ObjectRef.ORDER).toList()) {
                var object = live.get(ref);
                if (object == null) {
                    missing.add(ref);
                    ready = false;
                    problems.add(ref + " is missing");
                    continue;
                }
                var health = Readiness.of(object);
                if (health.phase() != ObjectHealth.Phase.READY) {
                    ready = false;
                    failed |= health.phase() == ObjectHealth.Phase.FAILED;
                    problems.add(health.message());
                }
            }
        } catch (ApplyException e) {
            ready = false;
            problems.add("cannot read the app's objects: " + e.getMessage());
        }
        return new AppState(bundle.app(), bundle.revision(), bundle.hash(), ready, failed, message(problems));
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            return null;
        }
        var message = problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
