package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.AppState;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.proxy.apply.DiscoveredResourceTypes;
import io.edgebridge.proxy.apply.EnforcementResult;
import io.edgebridge.proxy.apply.Labels;
import io.edgebridge.proxy.apply.ObjectRef;
import io.edgebridge.proxy.apply.ServerSideApplier;
import io.edgebridge.proxy.apply.StateEnforcer;
import io.edgebridge.proxy.report.AppStatusCollector;
import io.edgebridge.proxy.store.InventoryStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge proxy's applier against a real kube-apiserver: server-side apply as "edgebridge",
 * namespace defaulting and labels, pruning by inventory that never touches anything else,
 * per-object failures with the server's message, CRDs before their objects, drift repair, and
 * readiness from workload status (crafted: there is no controller manager here).
 */
class EdgeApplierTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static LocalControlPlane controlPlane;
    static KubernetesClient client;

    @TempDir
    Path stateDir;

    /** The bundle made last by {@link #bundle}. */
    private AppBundle lastBundle;

    @BeforeAll
    static void startControlPlane() {
        controlPlane = LocalControlPlane.start();
        client = controlPlane.client();
    }

    @AfterAll
    static void stopControlPlane() {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void appliesWithServerSideApplyIntoTheTargetNamespaceAndLabelsEverything() {
        var result = enforcer().enforce(List.of(bundle("shop", "r1", "shop",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {currency: EUR}
                """,
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: shop-reader, namespace: shop}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
                """)), Set.of());

        assertEquals(0, result.errors(), result.toString());
        var namespace = client.namespaces().withName("shop").get();
        assertNotNull(namespace, "the target namespace was created");
        assertEquals(Labels.FIELD_MANAGER, namespace.getMetadata().getLabels().get(Labels.MANAGED_BY));
        var settings = client.configMaps().inNamespace("shop").withName("settings").get();
        assertEquals("EUR", settings.getData().get("currency"));
        assertEquals(Map.of(Labels.APP, "shop", Labels.REVISION, "r1"), settings.getMetadata().getLabels());
        assertTrue(settings.getMetadata().getManagedFields().stream()
                .anyMatch(f -> Labels.FIELD_MANAGER.equals(f.getManager()) && "Apply".equals(f.getOperation())),
                "applied by server-side apply as field manager edgebridge");
        var role = client.rbac().clusterRoles().withName("shop-reader").get();
        assertNotNull(role, "cluster-scoped objects are applied without a namespace");
        assertEquals("shop", role.getMetadata().getLabels().get(Labels.APP));
    }

    @Test
    void prunesWhatAnAppDroppedAndRemovedAppsButNothingItDidNotApply() {
        var enforcer = enforcer();
        enforcer.enforce(List.of(bundle("cafe", "r1", "cafe", configMap("menu"), configMap("prices"),
                configMap("hours"))), Set.of());
        client.configMaps().inNamespace("cafe").resource(plainConfigMap("cafe", "manual")).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName("cafe-other").endMetadata().build()).create();
        client.configMaps().inNamespace("cafe-other").resource(plainConfigMap("cafe-other", "prices")).create();

        enforcer.enforce(List.of(bundle("cafe", "r2", "cafe", configMap("menu"), configMap("hours"))), Set.of());
        assertNull(client.configMaps().inNamespace("cafe").withName("prices").get(), "dropped from the app");
        assertNotNull(client.configMaps().inNamespace("cafe").withName("manual").get(), "never EdgeBridge's");
        assertNotNull(client.configMaps().inNamespace("cafe-other").withName("prices").get(),
                "same name, other namespace: another object");
        assertEquals("r2", client.configMaps().inNamespace("cafe").withName("menu").get().getMetadata().getLabels()
                .get(Labels.REVISION));

        // Someone takes "hours" over: deletes EdgeBridge's and creates their own, without the label.
        client.configMaps().inNamespace("cafe").withName("hours").delete();
        awaitGone("cafe", "hours");
        client.configMaps().inNamespace("cafe").resource(plainConfigMap("cafe", "hours")).create();

        enforcer.enforce(List.of(), Set.of());
        assertNull(client.configMaps().inNamespace("cafe").withName("menu").get(), "the removed app's objects go");
        assertNotNull(client.configMaps().inNamespace("cafe").withName("hours").get(),
                "a same-named object EdgeBridge did not apply stays");
        assertNotNull(client.configMaps().inNamespace("cafe").withName("manual").get());
        assertTrue(enforcer.inventory().isEmpty());
        assertNotNull(client.namespaces().withName("cafe").get(), "a namespace EdgeBridge only created for an app"
                + " is never pruned");
    }

    @Test
    void objectsTheServerRefusesFailTheAppWithItsMessageWhileTheRestApplies() {
        var result = enforcer().enforce(List.of(bundle("widgets", "r1", "widgets",
                """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: blue}
                spec: {size: 3}
                """,
                configMap("Not_A_Valid_Name"),
                configMap("fine"))), Set.of());

        var outcome = result.apps().get("widgets");
        assertTrue(outcome.failed());
        var messages = outcome.errors().stream().map(Object::toString).toList();
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Widget blue: no matches for kind \"Widget\" in"
                + " version \"example.com/v1\"")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("ConfigMap \"Not_A_Valid_Name\" is invalid")
                && m.contains("metadata.name: Invalid value")), "the API server's own message: " + messages);
        assertNotNull(client.configMaps().inNamespace("widgets").withName("fine").get());

        var state = collector().collect(List.of(lastBundle), result.apps(), Set.of()).apps().get(0);
        assertTrue(state.failed());
        assertFalse(state.ready());
        assertTrue(state.message().contains("no matches for kind"), state.message());
    }

    @Test
    void aCrdAndItsObjectsApplyInOneRound() {
        var result = enforcer().enforce(List.of(bundle("gadgets", "r1", "gadgets",
                """
                apiVersion: example.org/v1
                kind: Gadget
                metadata: {name: first}
                spec: {color: red}
                """,
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.example.org}
                spec:
                  group: example.org
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """)), Set.of());

        assertEquals(0, result.errors(), result.toString());
        var gadget = client.genericKubernetesResources("example.org/v1", "Gadget").inNamespace("gadgets")
                .withName("first").get();
        assertEquals("red", gadget.get("spec", "color"));
    }

    @Test
    void applyingAgainRepairsDriftInFieldsItOwnsAndLeavesOthersAlone() {
        var enforcer = enforcer();
        var desired = List.of(bundle("drift", "r1", "drift",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config}
                data: {mode: safe}
                """));
        enforcer.enforce(desired, Set.of());

        client.configMaps().inNamespace("drift").withName("config").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("mode", "unsafe").addToData("extra", "theirs")
                .editMetadata().addToLabels("owner", "ops").endMetadata().build());
        var round = enforcer.enforce(desired, Set.of());
        var repaired = client.configMaps().inNamespace("drift").withName("config").get();
        assertEquals("safe", repaired.getData().get("mode"), "a field EdgeBridge owns is set back");
        assertEquals("theirs", repaired.getData().get("extra"), "a field it never set is not its business");
        assertEquals("ops", repaired.getMetadata().getLabels().get("owner"));

        client.configMaps().inNamespace("drift").withName("config").delete();
        awaitGone("drift", "config");
        var collected = collector().collect(List.of(lastBundle), round.apps(), Set.of());
        assertEquals(Set.of(new ObjectRef("v1", "ConfigMap", "drift", "config")),
                collected.missing(), "the status read notices the deletion");
        assertFalse(collected.apps().get(0).ready());
        enforcer.enforce(desired, Set.of());
        assertEquals("safe", client.configMaps().inNamespace("drift").withName("config").get().getData().get("mode"),
                "a deleted object is applied again");
    }

    @Test
    void aDeploymentIsReadyOnceItsStatusSaysSo() {
        EnforcementResult result = enforcer().enforce(List.of(bundle("web", "r1", "web",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx:1.27}]}
                """)), Set.of());
        assertEquals(0, result.errors(), result.toString());
        var bundle = lastBundle;

        AppState before = collector().collect(List.of(bundle), result.apps(), Set.of()).apps().get(0);
        assertFalse(before.ready(), "no controller manager here: nothing is available yet");
        assertFalse(before.failed());

        var deployments = client.apps().deployments().inNamespace("web");
        var generation = deployments.withName("web").get().getMetadata().getGeneration();
        deployments.withName("web").editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(2)
                    .withUpdatedReplicas(2).withReadyReplicas(2).withAvailableReplicas(2)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").build())
                    .build());
            return d;
        });
        AppState after = collector().collect(List.of(bundle), result.apps(), Set.of()).apps().get(0);
        assertTrue(after.ready(), after.toString());
        assertEquals("r1", after.revision());
        assertEquals(bundle.hash(), after.bundleHash());
    }

    private StateEnforcer enforcer() {
        var types = new DiscoveredResourceTypes(client);
        return new StateEnforcer(new ServerSideApplier(client, types), types, new InventoryStore(stateDir));
    }

    private static AppStatusCollector collector() {
        return new AppStatusCollector(new ServerSideApplier(client, new DiscoveredResourceTypes(client)));
    }

    private AppBundle bundle(String app, String revision, String targetNamespace, String... yaml) {
        var resources = Arrays.stream(yaml).map(y -> SERIALIZATION.unmarshal(y, GenericKubernetesResource.class))
                .toList();
        var hash = CanonicalJson.hash(Map.of("app", app, "revision", revision, "resources", resources), 16);
        lastBundle = new AppBundle(app, revision, hash, targetNamespace, resources);
        return lastBundle;
    }

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\ndata: {k: v}\n";
    }

    private static ConfigMap plainConfigMap(String namespace, String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToData("k", "someone else's").build();
    }

    private static void awaitGone(String namespace, String name) {
        client.configMaps().inNamespace(namespace).withName(name)
                .waitUntilCondition(Objects::isNull, 10, TimeUnit.SECONDS);
    }
}
