package io.edgebridge.operator.app;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus.AppStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The EdgeApps a change of one EdgeCluster may move. Labels (placement, waves), connectivity, and a
 * cluster appearing or going move every app of the namespace; a report moves only the apps whose
 * entry in it changed. During a fan-out every cluster reports the app being delivered, and each
 * report re-planned every other app of the namespace too, over the whole fleet (tens of
 * milliseconds an app at ten thousand clusters), for nothing.
 *
 * @param all whether every app may have moved
 * @param names the apps that may have moved, when not all
 */
record AppsMoved(boolean all, Set<String> names) {

    private static final AppsMoved ALL = new AppsMoved(true, Set.of());

    AppsMoved {
        names = Set.copyOf(names);
    }

    static AppsMoved by(EdgeCluster before, EdgeCluster after) {
        if (before == null || after == null
                || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                || EdgeAppReconciler.connected(before) != EdgeAppReconciler.connected(after)) {
            return ALL;
        }
        var was = byName(EdgeAppReconciler.apps(before));
        var is = byName(EdgeAppReconciler.apps(after));
        Set<String> moved = new HashSet<>();
        was.forEach((name, status) -> {
            if (!status.equals(is.get(name))) {
                moved.add(name);
            }
        });
        is.keySet().stream().filter(name -> !was.containsKey(name)).forEach(moved::add);
        return new AppsMoved(false, moved);
    }

    boolean none() {
        return !all && names.isEmpty();
    }

    boolean includes(String app) {
        return all || names.contains(app);
    }

    /** A report names an app once; should one name it twice, the entries count as one changed app. */
    private static Map<String, Object> byName(List<AppStatus> apps) {
        Map<String, Object> byName = new HashMap<>();
        for (var app : apps) {
            byName.merge(String.valueOf(app.name()), app, (a, b) -> List.of(a, b));
        }
        return byName;
    }
}
