package io.edgebridge.proxy.apply;

import static io.edgebridge.proxy.testing.Bundles.bundle;
import static io.edgebridge.proxy.testing.Bundles.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.proxy.store.InventoryStore;
import io.edgebridge.proxy.testing.Bundles;
import io.edgebridge.proxy.testing.InMemoryCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateEnforcerTest {

    @TempDir
    Path stateDir;

    private final InMemoryCluster cluster = new InMemoryCluster();

    private StateEnforcer enforcer() {
        return new StateEnforcer(cluster, cluster, new InventoryStore(stateDir));
    }

    @Test
    void appliesPrunesAndRemovesAppsByInventory() {
        var enforcer = enforcer();
        var result = enforcer.enforce(List.of(
                bundle("shop", "r1", "retail", configMap("a", Map.of()), configMap("b", Map.of())),
                bundle("pos", "r1", "retail", configMap("p", Map.of()))), Set.of());
        assertEquals(0, result.errors());
        assertTrue(cluster.configMap("retail", "b").isPresent());
        assertTrue(cluster.get("v1", "Namespace", null, "retail").isPresent(), "the target namespace was created");

        enforcer.enforce(List.of(bundle("shop", "r2", "retail", configMap("a", Map.of()))), Set.of());
        assertTrue(cluster.configMap("retail", "a").isPresent());
        assertFalse(cluster.configMap("retail", "b").isPresent(), "dropped from the app: pruned");
        assertFalse(cluster.configMap("retail", "p").isPresent(), "the removed app's objects are deleted");
        assertEquals(Set.of("shop"), enforcer.inventory().keySet());
        assertTrue(cluster.get("v1", "Namespace", null, "retail").isPresent(), "namespaces it created stay");
    }

    @Test
    void neverDeletesWhatItDidNotApply() {
        var enforcer = enforcer();
        enforcer.enforce(List.of(bundle("shop", "r1", "retail", configMap("a", Map.of()))), Set.of());
        // Someone replaces the object with their own, without EdgeBridge's label, and adds another.
        cluster.put(Bundles.object("v1", "ConfigMap", "retail", "a", Map.of()));
        cluster.put(Bundles.object("v1", "ConfigMap", "retail", "theirs", Map.of()));

        enforcer.enforce(List.of(), Set.of());
        assertTrue(cluster.configMap("retail", "a").isPresent(), "not ours any more: left alone");
        assertTrue(cluster.configMap("retail", "theirs").isPresent());
        assertTrue(enforcer.inventory().isEmpty());
    }

    @Test
    void perObjectErrorsFailTheAppButTheRestApplies() {
        cluster.failApplyOf("bad", "ConfigMap \"bad\" is invalid: data: Invalid value");
        var result = enforcer().enforce(List.of(bundle("shop", "r1", "retail", configMap("bad", Map.of()),
                configMap("good", Map.of()))), Set.of());
        var outcome = result.apps().get("shop");
        assertTrue(outcome.failed());
        assertEquals("ConfigMap retail/bad: ConfigMap \"bad\" is invalid: data: Invalid value",
                outcome.errors().get(0).toString());
        assertTrue(cluster.configMap("retail", "good").isPresent());
        assertEquals(1, result.errors());
    }

    @Test
    void withheldAppsAreNeitherAppliedNorRemoved() {
        var enforcer = enforcer();
        enforcer.enforce(List.of(bundle("shop", "r1", "retail", configMap("a", Map.of()))), Set.of());
        enforcer.enforce(List.of(), Set.of("shop"));
        assertTrue(cluster.configMap("retail", "a").isPresent());
        assertEquals(Set.of("shop"), enforcer.inventory().keySet());
    }

    @Test
    void whenDiscoveryFailsNothingIsAppliedOrPrunedAndTheRoundIsIncomplete() {
        var down = new AtomicBoolean();
        var types = new ResourceTypes() {
            @Override
            public Optional<ResourceType> lookup(String apiVersion, String kind) throws DiscoveryException {
                if (down.get()) {
                    throw new DiscoveryException("connection refused", null);
                }
                return cluster.lookup(apiVersion, kind);
            }

            @Override
            public void refresh() {
            }
        };
        var enforcer = new StateEnforcer(cluster, types, new InventoryStore(stateDir));
        enforcer.enforce(List.of(bundle("shop", "r1", "retail", configMap("a", Map.of()), configMap("b", Map.of()))),
                Set.of());

        down.set(true);
        var result = enforcer.enforce(List.of(bundle("shop", "r2", "retail", configMap("a", Map.of()))), Set.of());
        assertFalse(result.complete());
        assertTrue(result.apps().get("shop").failed());
        assertTrue(cluster.configMap("retail", "b").isPresent(), "an unanswered discovery is no reason to prune");

        down.set(false);
        assertTrue(enforcer.enforce(List.of(bundle("shop", "r2", "retail", configMap("a", Map.of()))), Set.of())
                .complete());
        assertFalse(cluster.configMap("retail", "b").isPresent());
    }

    @Test
    void theInventorySurvivesARestartSoPruningStillWorks() {
        enforcer().enforce(List.of(bundle("shop", "r1", "retail", configMap("a", Map.of()))), Set.of());
        enforcer().enforce(List.of(), Set.of());
        assertFalse(cluster.configMap("retail", "a").isPresent());
    }
}
