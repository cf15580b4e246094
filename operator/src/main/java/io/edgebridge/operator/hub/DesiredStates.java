package io.edgebridge.operator.hub;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.operator.app.RevisionHistory;
import io.edgebridge.operator.config.OperatorConfig;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.plan.BundleRenderer;
import io.edgebridge.operator.plan.DesiredStatePlanner;
import io.edgebridge.operator.plan.RevisionContent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The desired state of a cluster, planned from the fleet cache on every request: nothing per
 * cluster is stored, so any replica answers any proxy and a restart loses nothing.
 */
@ApplicationScoped
public class DesiredStates {

    @Inject
    FleetCache fleet;

    @Inject
    RevisionHistory history;

    @Inject
    HubConfig config;

    @Inject
    OperatorConfig operatorConfig;

    /** Revision contents by ControllerRevision uid; a revision's data never changes. */
    private final Map<String, RevisionContent> contents = new ConcurrentHashMap<>();
    private DesiredStatePlanner planner;
    /**
     * What recent state hashes stand for: a proxy that holds a whole state sends only its hash, and
     * the delta is computed against this. Few entries: clusters with the same apps share states.
     */
    private Map<String, Map<String, String>> states;

    @PostConstruct
    void init() {
        int limit = config.bundleCacheSize();
        Map<BundleRenderer.VariantKey, BundleRenderer.Rendered> lru = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<BundleRenderer.VariantKey, BundleRenderer.Rendered> eldest) {
                return size() > limit;
            }
        };
        // A kept revision that renders too large (the limit was lowered) is held, never shipped.
        planner = new DesiredStatePlanner(new BundleRenderer(Collections.synchronizedMap(lru),
                operatorConfig.maxBundleBytes()));
        states = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
                return size() > limit;
            }
        });
        fleet.onRevisionChange((before, after) -> {
            if (after == null && before != null) {
                contents.remove(before.getMetadata().getUid());
            }
        });
    }

    /**
     * @param reported app name to the revision the cluster runs (from its latest report)
     */
    public DesiredStatePlanner.Result plan(EdgeCluster cluster, Map<String, String> reported) {
        var namespace = cluster.getMetadata().getNamespace();
        List<DesiredStatePlanner.AppView> apps = new ArrayList<>();
        for (var app : fleet.apps(namespace)) {
            Map<String, RevisionContent> revisions = new HashMap<>();
            for (var revision : fleet.revisionsOf(app)) {
                var annotations = revision.getMetadata().getAnnotations();
                var name = annotations == null ? null : annotations.get(RevisionHistory.REVISION_ANNOTATION);
                if (name != null) {
                    revisions.put(name, contents.computeIfAbsent(revision.getMetadata().getUid(),
                            uid -> history.content(revision)));
                }
            }
            apps.add(new DesiredStatePlanner.AppView(app, revisions));
        }
        var labels = cluster.getMetadata().getLabels() == null ? Map.<String, String>of() : cluster.getMetadata().getLabels();
        var result = planner.plan(new DesiredStatePlanner.ClusterView(cluster.getMetadata().getName(), labels, reported),
                apps);
        // Equal hashes, equal contents: the map held syncs already share stays (a held sync per idle
        // cluster kept the contents of its own plan, about 0.2 KB each).
        states.merge(result.stateHash(), result.contents(), (held, fresh) -> held);
        return result;
    }

    /**
     * What a proxy holding the state {@code stateHash} holds: app to bundle hash ({@code held:...}
     * for apps held back). Empty when this replica has not planned that state lately (it restarted,
     * or the state is long gone): the proxy is then asked for its list.
     */
    public Optional<Map<String, String>> contents(String stateHash) {
        return Optional.ofNullable(states.get(stateHash));
    }
}
