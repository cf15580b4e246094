package io.edgebridge.proxy.apply;

import static io.edgebridge.proxy.testing.Bundles.bundle;
import static io.edgebridge.proxy.testing.Bundles.configMap;
import static io.edgebridge.proxy.testing.Bundles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApplyPlannerTest {

    /** What the cluster serves, as a map: the planner needs nothing else. */
    private static final ResourceTypes TYPES = new ResourceTypes() {
        private final Map<String, ResourceType> served = Map.of(
                "v1/ConfigMap", new ResourceType("", "v1", "ConfigMap", "configmaps", true),
                "v1/Namespace", new ResourceType("", "v1", "Namespace", "namespaces", false),
                "apps/v1/Deployment", new ResourceType("apps", "v1", "Deployment", "deployments", true),
                "rbac.authorization.k8s.io/v1/ClusterRole",
                new ResourceType("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
                "apiextensions.k8s.io/v1/CustomResourceDefinition",
                new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                        false),
                "autoscaling/v2/HorizontalPodAutoscaler",
                new ResourceType("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true),
                "autoscaling/v1/HorizontalPodAutoscaler",
                new ResourceType("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true));

        @Override
        public Optional<ResourceType> lookup(String apiVersion, String kind) {
            return Optional.ofNullable(served.get(apiVersion + "/" + kind));
        }

        @Override
        public void refresh() {
        }
    };

    private final ApplyPlanner planner = new ApplyPlanner(TYPES);

    @Test
    void namespacedObjectsWithoutNamespaceGoToTheTargetNamespace() throws Exception {
        var plan = planner.plan(bundle("shop", "r1", "retail", configMap("a", Map.of()),
                object("v1", "ConfigMap", "other", "b", Map.of())), null);
        assertEquals(List.of(new ObjectRef("v1", "ConfigMap", "retail", "a"),
                new ObjectRef("v1", "ConfigMap", "other", "b")), plan.wanted());
        assertEquals("retail", plan.apply().get(0).manifest().getMetadata().getNamespace());
        assertEquals(Set.of("retail", "other"), plan.namespaces());
    }

    @Test
    void withoutTargetNamespaceTheDefaultNamespaceIsUsed() throws Exception {
        var plan = planner.plan(bundle("shop", "r1", null, configMap("a", Map.of())), null);
        assertEquals("default", plan.wanted().get(0).namespace());
    }

    @Test
    void clusterScopedObjectsNeverGetANamespace() throws Exception {
        var plan = planner.plan(bundle("shop", "r1", "retail",
                object("rbac.authorization.k8s.io/v1", "ClusterRole", "retail", "reader", Map.of())), null);
        assertNull(plan.wanted().get(0).namespace());
        assertNull(plan.apply().get(0).manifest().getMetadata().getNamespace());
        assertTrue(plan.namespaces().isEmpty());
    }

    @Test
    void everyObjectIsLabelledWithAppAndRevisionWithoutTouchingTheBundle() throws Exception {
        var original = configMap("a", Map.of());
        original.getMetadata().setLabels(Map.of("team", "payments"));
        var bundle = bundle("shop", "r7", "retail", original);
        var labels = planner.plan(bundle, null).apply().get(0).manifest().getMetadata().getLabels();
        assertEquals(Map.of("team", "payments", Labels.APP, "shop", Labels.REVISION, "r7"), labels);
        assertEquals(Map.of("team", "payments"), bundle.resources().get(0).getMetadata().getLabels(),
                "the (signed) bundle itself is left as it is");
        assertNull(bundle.resources().get(0).getMetadata().getNamespace());
    }

    @Test
    void namespacesAndCrdsComeFirst() throws Exception {
        var plan = planner.plan(bundle("shop", "r1", "retail",
                configMap("a", Map.of()),
                object("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com", Map.of()),
                object("apps/v1", "Deployment", null, "web", Map.of()),
                object("v1", "Namespace", null, "retail", Map.of())), null);
        assertEquals(List.of("Namespace", "CustomResourceDefinition", "ConfigMap", "Deployment"),
                plan.apply().stream().map(p -> p.ref().kind()).toList());
        assertEquals(Set.of(), plan.namespaces(), "the bundle creates its namespace itself");
    }

    @Test
    void prunesWhatTheAppAppliedBeforeAndNoLongerHas() throws Exception {
        var previous = new AppInventory("shop", "r1", "h1", List.of(
                new ObjectRef("v1", "ConfigMap", "retail", "a"),
                new ObjectRef("v1", "ConfigMap", "retail", "gone"),
                new ObjectRef("v1", "Namespace", null, "old-ns"),
                new ObjectRef("rbac.authorization.k8s.io/v1", "ClusterRole", null, "old-role")));
        var plan = planner.plan(bundle("shop", "r2", "retail", configMap("a", Map.of())), previous);
        assertEquals(List.of(new ObjectRef("v1", "ConfigMap", "retail", "gone"),
                new ObjectRef("rbac.authorization.k8s.io/v1", "ClusterRole", null, "old-role"),
                new ObjectRef("v1", "Namespace", null, "old-ns")), plan.prune(),
                "namespaced objects first, namespaces last");
        assertTrue(plan.retain().isEmpty());
    }

    @Test
    void aNewApiVersionOfTheSameObjectIsNotPruned() throws Exception {
        var previous = new AppInventory("shop", "r1", "h1", List.of(
                new ObjectRef("autoscaling/v1", "HorizontalPodAutoscaler", "retail", "web")));
        var plan = planner.plan(bundle("shop", "r2", "retail",
                object("autoscaling/v2", "HorizontalPodAutoscaler", null, "web", Map.of())), previous);
        assertTrue(plan.prune().isEmpty(), plan.prune().toString());
    }

    @Test
    void theSameNameInAnotherNamespaceIsAnotherObject() throws Exception {
        var previous = new AppInventory("shop", "r1", "h1", List.of(new ObjectRef("v1", "ConfigMap", "old", "a")));
        var plan = planner.plan(bundle("shop", "r2", "retail", configMap("a", Map.of())), previous);
        assertEquals(List.of(new ObjectRef("v1", "ConfigMap", "old", "a")), plan.prune());
    }

    @Test
    void anUnknownKindIsAnErrorAndSuspendsPruning() throws Exception {
        var previous = new AppInventory("shop", "r1", "h1", List.of(
                new ObjectRef("example.com/v1", "Widget", "retail", "w"),
                new ObjectRef("v1", "ConfigMap", "retail", "gone")));
        var plan = planner.plan(bundle("shop", "r2", "retail", configMap("a", Map.of()),
                object("example.com/v1", "Widget", null, "w", Map.of())), previous);
        assertEquals(1, plan.errors().size());
        assertEquals("no matches for kind \"Widget\" in version \"example.com/v1\" (is its CRD installed?)",
                plan.errors().get(0).message());
        assertEquals(List.of(new ObjectRef("v1", "ConfigMap", "retail", "a")), plan.wanted(), "the rest applies");
        assertTrue(plan.prune().isEmpty());
        assertEquals(previous.objects(), plan.retain(), "kept in the inventory for a later prune");
    }

    @Test
    void malformedAndDuplicateObjectsAreErrors() throws Exception {
        var plan = planner.plan(bundle("shop", "r1", "retail", configMap("a", Map.of()), configMap("a", Map.of()),
                object("v1", "ConfigMap", null, "", Map.of())), null);
        assertEquals(1, plan.wanted().size());
        assertEquals(2, plan.errors().size());
        assertTrue(plan.errors().get(0).message().contains("more than once"));
        assertTrue(plan.errors().get(1).message().contains("required"));
    }

    @Test
    void serverOwnedMetadataIsNotSent() throws Exception {
        var resource = configMap("a", Map.of());
        resource.getMetadata().setResourceVersion("42");
        resource.getMetadata().setUid("u-1");
        var manifest = planner.plan(bundle("shop", "r1", "retail", resource), null).apply().get(0).manifest();
        assertNull(manifest.getMetadata().getResourceVersion());
        assertNull(manifest.getMetadata().getUid());
    }
}
