package io.edgebridge.operator.plan;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import io.edgebridge.api.v1alpha1.EdgeAppStatus;
import io.edgebridge.api.v1alpha1.EmbeddedResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Planner throughput at fleet scale: 100 EdgeApps x 10,000 EdgeClusters, every app released
 * everywhere, three site variants per app. Run with {@code make bench-planner}; prints the figures
 * and writes target/bench/planner.json.
 */
public final class PlannerBenchmark {

    static final int CLUSTERS = Integer.getInteger("clusters", 10_000);
    static final int APPS = Integer.getInteger("apps", 100);
    static final int ROUNDS = Integer.getInteger("rounds", 5);

    public static void main(String[] args) throws Exception {
        var serialization = new KubernetesSerialization();
        List<DesiredStatePlanner.ClusterView> clusters = new ArrayList<>();
        for (int i = 0; i < CLUSTERS; i++) {
            clusters.add(new DesiredStatePlanner.ClusterView("store-" + i, Map.of(
                    "fleet", "retail", "region", "r" + (i % 20), "ring", i % 50 == 0 ? "canary" : "stores",
                    "tier", i % 3 == 0 ? "large" : "small"), Map.of()));
        }
        List<DesiredStatePlanner.AppView> apps = new ArrayList<>();
        for (int a = 0; a < APPS; a++) {
            apps.add(app(serialization, a));
        }
        var planner = new DesiredStatePlanner(new BundleRenderer(new ConcurrentHashMap<>()));

        // Warm-up renders every variant once and lets the JIT settle.
        for (var cluster : clusters) {
            planner.plan(cluster, apps);
        }
        double best = 0;
        long bundles = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            bundles = 0;
            for (var cluster : clusters) {
                bundles += planner.plan(cluster, apps).bundles().size();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, (double) CLUSTERS * APPS / seconds);
        }

        // One app changed: re-planning only its targets means matching its placement over the fleet.
        var changed = apps.get(0).app();
        long start = System.nanoTime();
        int targets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            targets = 0;
            for (var cluster : clusters) {
                if (PlacementMatcher.selects(changed.getSpec().placement(), cluster.name(), cluster.labels())) {
                    targets++;
                }
            }
        }
        double targetMillis = (System.nanoTime() - start) / 1e6 / ROUNDS;

        var result = String.format(Locale.ROOT,
                "{\"planner_placements_per_s\": %.0f, \"planner_clusters\": %d, \"planner_apps\": %d, "
                        + "\"planner_bundles_per_round\": %d, \"planner_one_app_targets_ms\": %.2f}%n",
                best, CLUSTERS, APPS, bundles, targetMillis);
        System.out.printf(Locale.ROOT, "planner: %,.0f placements/s (%d apps x %d clusters, %d bundles per round); "
                + "targets of one app (%d clusters) found in %.2f ms%n", best, APPS, CLUSTERS, bundles, targets,
                targetMillis);
        var out = Path.of(System.getProperty("bench.dir", "target/bench"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("planner.json"), result);
    }

    private static DesiredStatePlanner.AppView app(KubernetesSerialization serialization, int index) {
        var resource = serialization.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app-%d}
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers: [{name: main, image: "ghcr.io/acme/app-%d:1.0", env: [{name: A, value: b}]}]
                """.formatted(index, index), EmbeddedResource.class);
        var selector = index % 2 == 0
                ? new LabelSelectorBuilder().addToMatchLabels("fleet", "retail").build()
                : new LabelSelectorBuilder().addNewMatchExpression().withKey("region").withOperator("In")
                        .withValues("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10").endMatchExpression()
                        .build();
        var overrides = List.of(
                override("tier", "large", new EdgeAppSpec.ReplicaOverride("app-" + index, 3)),
                override("ring", "canary", null));
        var spec = new EdgeAppSpec(new EdgeAppSpec.Placement(selector, null), List.of(resource), "apps", overrides,
                null, null, null);
        var app = new EdgeApp();
        app.setMetadata(new ObjectMetaBuilder().withName("app-" + index).withNamespace("retail")
                .withUid(UUID.randomUUID().toString()).build());
        app.setSpec(spec);
        var content = RevisionContent.of(app);
        var revision = content.revision();
        app.setStatus(new EdgeAppStatus(1L, revision, null, null, null, null,
                new EdgeAppStatus.RolloutStatus(revision, null, 0, null, null, null,
                        List.of(new EdgeAppStatus.WaveStatus(WaveTargets.ALL_WAVE, CLUSTERS, CLUSTERS,
                                RolloutPlanner.ALL_RELEASED, 0, 0))), null));
        Map<String, RevisionContent> revisions = new HashMap<>();
        revisions.put(revision, content);
        return new DesiredStatePlanner.AppView(app, revisions);
    }

    private static EdgeAppSpec.ClusterOverride override(String key, String value, EdgeAppSpec.ReplicaOverride replicas) {
        var selector = new LabelSelectorBuilder().addToMatchLabels(key, value).build();
        return replicas != null
                ? new EdgeAppSpec.ClusterOverride(selector, null, List.of(replicas), null, null)
                : new EdgeAppSpec.ClusterOverride(selector, null, null,
                        List.of(new EdgeAppSpec.EnvOverride(null, "CANARY", "true")), null);
    }
}
