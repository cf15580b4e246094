package io.edgebridge.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class SharedObjectsTest {

    /** As an informer gets it: its own instance, deserialized from its own watch. */
    static EdgeCluster received(String uid, String resourceVersion) {
        var cluster = new EdgeCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withNamespace("retail-eu").withName("hamburg").withUid(uid)
                .withResourceVersion(resourceVersion).build());
        return cluster;
    }

    @Test
    void twoInformersHoldingTheSameVersionKeepOneInstance() {
        var fleetCache = SharedObjects.<EdgeCluster>store();
        var controller = new SharedObjects.Clusters();
        var first = received("uid-shared", "7");
        fleetCache.put("retail-eu/hamburg", first);
        controller.put("retail-eu/hamburg", received("uid-shared", "7"));
        assertSame(first, controller.get("retail-eu/hamburg"));

        // A newer version is its own until the other informer gets the same version.
        var newer = received("uid-shared", "8");
        controller.put("retail-eu/hamburg", newer);
        assertSame(newer, controller.get("retail-eu/hamburg"));
        fleetCache.put("retail-eu/hamburg", received("uid-shared", "8"));
        assertSame(newer, fleetCache.get("retail-eu/hamburg"));
    }

    @Test
    void everyVersionOfAnObjectSharesItsNameAndNamespaceStrings() {
        var store = new SharedObjects.Clusters();
        var first = received("uid-strings", "1");
        store.put("retail-eu/hamburg", first);
        for (var version : new String[] {"2", "3"}) {
            // Each watch event brings its own copies of the strings.
            var event = received("uid-strings", version);
            event.getMetadata().setName(new String("hamburg"));
            event.getMetadata().setNamespace(new String("retail-eu"));
            store.put("retail-eu/hamburg", event);
            assertSame(first.getMetadata().getName(), event.getMetadata().getName());
            assertSame(first.getMetadata().getNamespace(), event.getMetadata().getNamespace());
        }
    }

    @Test
    void aDeletedObjectIsNotKept() {
        var store = SharedObjects.<EdgeCluster>store();
        var deleted = received("uid-deleted", "3");
        store.put("retail-eu/hamburg", deleted);
        store.remove("retail-eu/hamburg");
        assertNull(store.get("retail-eu/hamburg"));
        // Nothing holds the deleted instance for later: the same uid and version again is a new instance.
        var again = received("uid-deleted", "3");
        assertSame(again, SharedObjects.canonical(again));
        assertNotSame(deleted, SharedObjects.canonical(received("uid-deleted", "3")));
    }
}
