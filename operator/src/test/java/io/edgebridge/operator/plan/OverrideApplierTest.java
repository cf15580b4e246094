package io.edgebridge.operator.plan;

import io.edgebridge.api.sync.v1.CanonicalJson;
import static io.edgebridge.operator.plan.PlanFixtures.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverrideApplierTest {

    static final List<?> RESOURCES = app("collector-app.yaml").getSpec().resources();

    static List<ObjectNode> apply(String... overrides) throws InvalidAppException {
        return OverrideApplier.apply(RESOURCES, java.util.Arrays.stream(overrides).map(PlanFixtures::override).toList());
    }

    @Test
    void noOverridesKeepsEveryFieldAndLeavesTheInputAlone() throws Exception {
        var out = apply();
        assertEquals(CanonicalJson.tree(RESOURCES), CanonicalJson.tree(out));
        out.get(0).put("changed", true);
        assertFalse(CanonicalJson.tree(RESOURCES.get(0)).has("changed"));
    }

    @Test
    void imagesAreMatchedByNameLikeKustomize() throws Exception {
        var out = apply("""
                clusterSelector: {}
                images:
                  - {name: ghcr.io/acme/collector, newTag: 1.1.0}
                  - {name: docker.io/library/busybox, newName: mirror.local/busybox}
                  - {name: registry.local:5000/acme/uploader, digest: "sha256:2222222222222222222222222222222222222222"}
                """);
        var pod = out.get(1).at("/spec/template/spec");
        assertEquals("ghcr.io/acme/collector:1.1.0", pod.at("/containers/0/image").asText());
        assertEquals("ghcr.io/acme/collector:1.1.0", pod.at("/initContainers/0/image").asText());
        assertEquals("mirror.local/busybox@sha256:1111111111111111111111111111111111111111111111111111111111111111",
                pod.at("/containers/1/image").asText());
        assertEquals("registry.local:5000/acme/uploader@sha256:2222222222222222222222222222222222222222",
                out.get(2).at("/spec/jobTemplate/spec/template/spec/containers/0/image").asText());
    }

    @Test
    void laterOverridesWin() throws Exception {
        var out = apply("""
                clusterSelector: {}
                replicas: [{name: collector, count: 2}]
                env: [{name: LEVEL, value: debug}]
                """, """
                clusterSelector: {}
                replicas: [{name: collector, count: 3}]
                env: [{name: LEVEL, value: trace}]
                """);
        assertEquals(3, out.get(1).at("/spec/replicas").asInt());
        var env = out.get(1).at("/spec/template/spec/containers/0/env");
        assertEquals(1, env.size());
        assertEquals("trace", env.at("/0/value").asText());
        assertTrue(env.at("/0/valueFrom").isMissingNode(), "a literal value replaces valueFrom");
    }

    @Test
    void envGoesToEveryContainerOrOnlyTheNamedOne() throws Exception {
        var all = apply("{clusterSelector: {}, env: [{name: SITE, value: muc}]}");
        assertEquals("muc", all.get(1).at("/spec/template/spec/containers/1/env/0/value").asText());
        assertEquals("muc", all.get(2).at("/spec/jobTemplate/spec/template/spec/containers/0/env/0/value").asText());

        var one = apply("{clusterSelector: {}, env: [{container: sidecar, name: SITE, value: muc}]}");
        assertEquals("muc", one.get(1).at("/spec/template/spec/containers/1/env/0/value").asText());
        assertEquals(1, one.get(1).at("/spec/template/spec/containers/0/env").size());
    }

    @Test
    void mergePatchesChangeOneResource() throws Exception {
        var out = apply("""
                clusterSelector: {}
                patches:
                  - target: {kind: ConfigMap, name: collector-config}
                    mergePatch: {data: {level: debug, extra: null}, metadata: {labels: {site: muc}}}
                """);
        assertEquals("debug", out.get(0).at("/data/level").asText());
        assertTrue(out.get(0).at("/data/extra").isMissingNode());
        assertEquals("muc", out.get(0).at("/metadata/labels/site").asText());
    }

    @Test
    void overridesThatFindNothingAreErrorsNamingWhatIsMissing() {
        var error = assertThrows(InvalidAppException.class, () -> apply("""
                clusterSelector: {}
                images: [{name: ghcr.io/acme/colector, newTag: "2"}]
                replicas: [{name: uploader, count: 2}]
                env: [{container: nope, name: A, value: b}]
                patches: [{target: {kind: Secret, name: creds}, mergePatch: {}}]
                """));
        assertEquals(List.of(
                "overrides[0].images: no container of the app uses image ghcr.io/acme/colector",
                "overrides[0].replicas: the app has no Deployment, StatefulSet or ReplicaSet named uploader",
                "overrides[0].env: no container named nope",
                "overrides[0].patches: the app has no Secret named creds"), error.problems());
    }

    @Test
    void eachOverrideIsCheckedOnItsOwnWithItsIndex() {
        var overrides = java.util.stream.Stream.of("{clusterSelector: {}, replicas: [{name: collector, count: 2}]}",
                "{clusterSelector: {matchLabels: {nowhere: x}}, replicas: [{name: typo, count: 2}]}")
                .map(PlanFixtures::override).toList();
        assertEquals(List.of("overrides[1].replicas: the app has no Deployment, StatefulSet or ReplicaSet named typo"),
                OverrideApplier.checkEach(RESOURCES, overrides));
    }

    @Test
    void aPatchThatBreaksAResourceIsCaught() {
        var error = assertThrows(InvalidAppException.class, () -> apply("""
                clusterSelector: {}
                patches:
                  - target: {kind: ConfigMap, name: collector-config}
                    mergePatch: {metadata: {name: null}}
                """));
        assertEquals(List.of("resources[0]: metadata.name is required"), error.problems());
    }

    @Test
    void resourcesWithoutKindOrDuplicatedAreRefused() {
        var resources = List.of(
                CanonicalJson.tree(java.util.Map.of("apiVersion", "v1", "metadata", java.util.Map.of("name", "a"))),
                CanonicalJson.tree(RESOURCES.get(0)), CanonicalJson.tree(RESOURCES.get(0)));
        var error = assertThrows(InvalidAppException.class, () -> OverrideApplier.apply(resources, List.of()));
        assertEquals(List.of("resources[0]: kind is required",
                "resources[2]: ConfigMap collector-config appears more than once"), error.problems());
    }

    @Test
    void imageReferencesSplitAtTheRightColon() {
        var ref = OverrideApplier.ImageReference.parse("registry.local:5000/acme/app");
        assertEquals("registry.local:5000/acme/app", ref.name());
        assertEquals(null, ref.tag());
        assertEquals("registry.local:5000/acme/app:3", ref.with(null, "3", null).toString());
    }
}
