package io.edgebridge.proxy.apply;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.proxy.apply.Applier.DeleteResult;
import io.edgebridge.proxy.apply.ResourceTypes.DiscoveryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Makes the local cluster hold the desired state: applies every app's objects (namespaces and CRDs
 * of all apps first), prunes what apps no longer have, and removes apps that are gone, keeping the
 * inventory such that it always names everything EdgeBridge may have created.
 *
 * <p>Not thread-safe: one enforcement at a time (the proxy runs them on one thread).
 */
public final class StateEnforcer {

    private static final Logger LOG = Logger.getLogger(StateEnforcer.class);

    private final Applier applier;
    private final ResourceTypes types;
    private final ApplyPlanner planner;
    private final Inventories store;
    private Map<String, AppInventory> inventories;

    public StateEnforcer(Applier applier, ResourceTypes types, Inventories store) {
        this.applier = applier;
        this.types = types;
        this.planner = new ApplyPlanner(types);
        this.store = store;
    }

    /**
     * @param bundles the desired state: one bundle per app
     * @param withheld apps the desired state names but whose bundle is not trusted now (e.g. it
     *     failed re-verification on load): neither applied nor removed until the hub re-sends them
     */
    public EnforcementResult enforce(Collection<AppBundle> bundles, Set<String> withheld) {
        var inventory = inventories();
        var round = new Round();
        var plans = plan(bundles, inventory, round);
        recordIntent(plans.values(), inventory);

        boolean crdsApplied = false;
        for (var plan : plans.values()) {
            for (var object : plan.apply()) {
                if (object.isFoundation()) {
                    crdsApplied |= apply(plan.app(), object, round) && object.ref().describesCrd();
                }
            }
        }
        if (crdsApplied) {
            // Kinds of the CRDs just applied were unknown when planning; plan again with them served.
            types.refresh();
            plans = plan(bundles, inventory, round);
            recordIntent(plans.values(), inventory);
        }
        ensureNamespaces(plans.values(), round);
        for (var plan : plans.values()) {
            round.errors(plan.app()).addAll(0, plan.errors());
            round.errorCount += plan.errors().size();
            for (var object : plan.apply()) {
                if (!object.isFoundation()) {
                    apply(plan.app(), object, round);
                }
            }
        }

        var next = new TreeMap<String, AppInventory>(inventory);
        for (var plan : plans.values()) {
            var kept = new ArrayList<>(plan.wanted());
            kept.addAll(plan.retain());
            kept.addAll(prune(plan.app(), plan.prune(), round));
            next.put(plan.app(), new AppInventory(plan.app(), plan.revision(), plan.bundleHash(), kept));
        }
        var desired = new HashSet<String>(withheld);
        bundles.forEach(b -> desired.add(b.app()));
        for (var app : inventory.keySet()) {
            if (!desired.contains(app)) {
                var left = prune(app, ApplyPlanner.pruneAll(inventory.get(app)), round);
                if (left.isEmpty()) {
                    next.remove(app);
                    LOG.infof("Removed app %s", app);
                } else {
                    next.put(app, new AppInventory(app, inventory.get(app).revision(), inventory.get(app).bundleHash(),
                            left));
                }
            }
        }
        save(next);
        return round.result(bundles);
    }

    /** The inventory as last stored, e.g. to check what an app should have. */
    public Map<String, AppInventory> inventory() {
        return Map.copyOf(inventories());
    }

    private Map<String, ApplyPlan> plan(Collection<AppBundle> bundles, Map<String, AppInventory> inventory,
            Round round) {
        var plans = new LinkedHashMap<String, ApplyPlan>();
        for (var bundle : bundles) {
            try {
                plans.put(bundle.app(), planner.plan(bundle, inventory.get(bundle.app())));
                round.discoveryFailures.remove(bundle.app());
            } catch (DiscoveryException e) {
                // Nothing is applied or pruned for the app: an unanswered discovery is no reason to delete.
                round.discoveryFailures.put(bundle.app(), new ObjectError("API discovery", e.getMessage()));
            }
        }
        return plans;
    }

    /**
     * Before touching the cluster, the inventory takes in everything about to be applied, so a
     * crash mid-way leaves nothing EdgeBridge created out of it.
     */
    private void recordIntent(Collection<ApplyPlan> plans, Map<String, AppInventory> inventory) {
        boolean grown = false;
        for (var plan : plans) {
            var previous = inventory.get(plan.app());
            var union = new LinkedHashSet<ObjectRef>(previous == null ? List.of() : previous.objects());
            if (union.addAll(plan.wanted()) || previous == null) {
                inventory.put(plan.app(), new AppInventory(plan.app(), plan.revision(), plan.bundleHash(),
                        new ArrayList<>(union)));
                grown = true;
            }
        }
        if (grown) {
            save(inventory);
        }
    }

    private boolean apply(String app, PlannedObject object, Round round) {
        try {
            applier.apply(object);
            round.applied(app).add(object.ref());
            return true;
        } catch (ApplyException e) {
            round.fail(app, new ObjectError(object.ref().toString(), e.getMessage()));
            return false;
        }
    }

    private void ensureNamespaces(Collection<ApplyPlan> plans, Round round) {
        var done = new HashMap<String, String>();
        for (var plan : plans) {
            for (var namespace : new TreeSet<>(plan.namespaces())) {
                var failure = done.computeIfAbsent(namespace, n -> {
                    try {
                        applier.ensureNamespace(n);
                        return "";
                    } catch (ApplyException e) {
                        round.errorCount++;
                        return e.getMessage();
                    }
                });
                if (!failure.isEmpty()) {
                    round.errors(plan.app()).add(new ObjectError("Namespace " + namespace, failure));
                }
            }
        }
    }

    /** Deletes what the app no longer has; returns what could not be deleted (kept for the next round). */
    private List<ObjectRef> prune(String app, List<ObjectRef> refs, Round round) {
        var left = new ArrayList<ObjectRef>();
        for (var ref : refs) {
            try {
                var result = applier.deleteIfOwned(ref, app);
                if (result == DeleteResult.DELETED) {
                    LOG.infof("Pruned %s of app %s", ref, app);
                } else if (result == DeleteResult.NOT_OWNED) {
                    LOG.infof("Not pruning %s: it no longer carries %s=%s", ref, Labels.APP, app);
                }
            } catch (ApplyException e) {
                round.errorCount++;
                LOG.warnf("Cannot prune %s of app %s yet: %s", ref, app, e.getMessage());
                left.add(ref);
            }
        }
        return left;
    }

    private Map<String, AppInventory> inventories() {
        if (inventories == null) {
            try {
                inventories = new TreeMap<>(store.load());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the inventory", e);
            }
        }
        return inventories;
    }

    private void save(Map<String, AppInventory> next) {
        try {
            store.save(next);
            inventories = new TreeMap<>(next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the inventory", e);
        }
    }

    /** What happened to each app in one enforcement. */
    private static final class Round {
        final Map<String, List<ObjectError>> errors = new HashMap<>();
        final Map<String, Set<ObjectRef>> applied = new HashMap<>();
        final Map<String, ObjectError> discoveryFailures = new HashMap<>();
        int errorCount;

        List<ObjectError> errors(String app) {
            return errors.computeIfAbsent(app, a -> new ArrayList<>());
        }

        Set<ObjectRef> applied(String app) {
            return applied.computeIfAbsent(app, a -> new HashSet<>());
        }

        void fail(String app, ObjectError error) {
            errors(app).add(error);
            errorCount++;
        }

        EnforcementResult result(Collection<AppBundle> bundles) {
            var apps = new LinkedHashMap<String, AppOutcome>();
            for (var bundle : bundles) {
                var appErrors = new ArrayList<ObjectError>();
                if (discoveryFailures.containsKey(bundle.app())) {
                    appErrors.add(discoveryFailures.get(bundle.app()));
                    errorCount++;
                }
                appErrors.addAll(errors(bundle.app()));
                apps.put(bundle.app(), new AppOutcome(bundle.app(), bundle.revision(), bundle.hash(), appErrors,
                        applied(bundle.app())));
            }
            return new EnforcementResult(apps, errorCount, discoveryFailures.isEmpty());
        }
    }
}
