package io.edgebridge.operator.plan;

import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.v1alpha1.EdgeApp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The desired state of one edge cluster: every app of its namespace whose placement selects it, at
 * the revision the app's rollout allows it, with the cluster's overrides applied. Computed on
 * demand from cached objects, never stored.
 */
public final class DesiredStatePlanner {

    private static final int STATE_HASH_HEX_DIGITS = 16;

    private final BundleRenderer renderer;

    public DesiredStatePlanner(BundleRenderer renderer) {
        this.renderer = renderer;
    }

    /** An app with the contents of the revisions it keeps, by revision name. */
    public record AppView(EdgeApp app, Map<String, RevisionContent> revisions) {
    }

    /**
     * @param reported app name to the revision the cluster reports running
     */
    public record ClusterView(String name, Map<String, String> labels, Map<String, String> reported) {
    }

    /**
     * @param bundles what the cluster must run, by app name
     * @param held apps the cluster must keep as they are: they cannot be rendered now, and removing
     *     them would be worse than leaving them (their reason in {@code problems})
     * @param stateHash hash over the bundle hashes and held apps; equal hashes mean nothing to send
     * @param contents what the state hash is computed over: app to bundle hash, or {@code held:<revision>}
     */
    public record Result(List<AppBundle> bundles, Set<String> held, Map<String, String> problems, String stateHash,
            Map<String, String> contents) {
    }

    public Result plan(ClusterView cluster, List<AppView> apps) {
        List<AppBundle> bundles = new ArrayList<>();
        Map<String, String> problems = new TreeMap<>();
        var orderKey = TargetCluster.orderKeyOf(cluster.name());
        var sorted = new ArrayList<>(apps);
        sorted.sort(Comparator.comparing(a -> a.app().getMetadata().getName()));
        for (var view : sorted) {
            var app = view.app();
            var name = app.getMetadata().getName();
            if (app.getMetadata().getDeletionTimestamp() != null
                    || !PlacementMatcher.selects(app.getSpec().placement(), cluster.name(), cluster.labels())) {
                continue;
            }
            var rollout = app.getStatus() == null ? null : app.getStatus().rollout();
            var wave = WaveTargets.waveOf(app.getSpec().rollout(), cluster.labels());
            var revision = DesiredRevision.of(rollout, wave, orderKey, cluster.reported().get(name),
                    view.revisions().keySet());
            if (revision == null) {
                continue;
            }
            var content = view.revisions().get(revision);
            if (content == null) {
                if (cluster.reported().containsKey(name)) {
                    // It runs something of this app: keep it rather than remove it.
                    problems.put(name, "revision " + revision + " is not kept in a ControllerRevision");
                }
                // Else there is nothing to keep: the app arrives with its ControllerRevision (the
                // hub's cache may see a new app's status before its revision).
                continue;
            }
            try {
                bundles.add(renderer.render(app.getMetadata().getUid(), name, revision, content, cluster.labels()));
            } catch (InvalidAppException e) {
                problems.put(name, e.getMessage());
            }
        }
        var held = problems.keySet();
        Map<String, String> summary = new TreeMap<>();
        bundles.forEach(b -> summary.put(b.app(), b.hash()));
        held.forEach(app -> summary.put(app, "held:" + cluster.reported().getOrDefault(app, "")));
        return new Result(List.copyOf(bundles), Set.copyOf(held), Map.copyOf(problems),
                CanonicalJson.hash(summary, STATE_HASH_HEX_DIGITS), Collections.unmodifiableMap(summary));
    }
}
