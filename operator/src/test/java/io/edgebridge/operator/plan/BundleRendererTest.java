package io.edgebridge.operator.plan;

import static io.edgebridge.operator.plan.PlanFixtures.app;
import static io.edgebridge.operator.plan.PlanFixtures.override;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleRendererTest {

    final Map<BundleRenderer.VariantKey, BundleRenderer.Rendered> cache = new HashMap<>();
    final BundleRenderer renderer = new BundleRenderer(cache);
    final RevisionContent content = PlanFixtures.withOverrides(app("collector-app.yaml"), List.of(
            override("{clusterSelector: {matchLabels: {site: munich}}, replicas: [{name: collector, count: 2}]}"),
            override("{clusterSelector: {matchLabels: {ring: canary}}, images: [{name: ghcr.io/acme/collector, newTag: '2.0'}]}")));

    @Test
    void clustersSelectingTheSameOverridesShareOneRendering() throws Exception {
        var a = renderer.render("uid", "collector", "r1", content, Map.of("site", "munich", "shelf", "a"));
        var b = renderer.render("uid", "collector", "r1", content, Map.of("site", "munich", "shelf", "b"));
        var plain = renderer.render("uid", "collector", "r1", content, Map.of("site", "hamburg"));

        assertSame(a, b);
        assertEquals(2, cache.size());
        assertNotEquals(a.hash(), plain.hash());
        assertEquals(Integer.valueOf(2), a.resources().get(1).get("spec", "replicas"));
        assertEquals(Integer.valueOf(1), plain.resources().get(1).get("spec", "replicas"));
        assertEquals("retail-eu", a.targetNamespace());
    }

    @Test
    void theHashDependsOnContentOnly() throws Exception {
        var first = renderer.render("uid", "collector", "r1", content, Map.of("site", "munich"));
        var again = new BundleRenderer(new HashMap<>()).render("uid", "collector", "r1", content, Map.of("site", "munich"));
        var otherRevision = renderer.render("uid", "collector", "r2", content, Map.of("site", "munich"));

        assertEquals(first.hash(), again.hash());
        assertEquals(16, first.hash().length());
        assertNotEquals(first.hash(), otherRevision.hash());
    }

    @Test
    void aBundleLargerThanTheLimitIsRefusedSayingHowLargeAndWhatToDo() throws Exception {
        var plain = renderer.render("uid", "collector", "r1", content, Map.of("site", "hamburg"));
        int size = CanonicalJson.bytes(new AppBundle(plain.app(), plain.revision(), null, plain.targetNamespace(),
                plain.resources())).length;

        var atTheLimit = new BundleRenderer(new HashMap<>(), size);
        assertEquals(plain.hash(), atTheLimit.render("uid", "collector", "r1", content, Map.of("site", "hamburg"))
                .hash(), "a bundle of exactly the limit is shipped");

        var belowIt = new BundleRenderer(new HashMap<>(), size - 1);
        var error = assertThrows(InvalidAppException.class,
                () -> belowIt.render("uid", "collector", "r1", content, Map.of("site", "hamburg")));
        assertEquals(String.format(Locale.ROOT, "the app renders to %,d bytes, more than the %,d bytes that are "
                + "shipped to an edge site (edgebridge.operator.max-bundle-bytes): split it into smaller EdgeApps, "
                + "or keep large data out of it (in the image, or fetched by the workload)", size, size - 1),
                error.getMessage());
        var tiny = new BundleRenderer(new HashMap<>(), 100);
        var variant = assertThrows(InvalidAppException.class, () -> tiny.render("uid", "collector", "r1", content,
                Map.of("site", "munich", "ring", "canary")));
        assertTrue(variant.getMessage().contains(" bytes for clusters selected by overrides[0][1], more than"),
                variant.getMessage());
    }

    @Test
    void aBrokenVariantFailsOnlyForTheClustersSelectingIt() throws Exception {
        var broken = PlanFixtures.withOverrides(app("collector-app.yaml"), List.of(
                override("{clusterSelector: {matchLabels: {site: munich}}, replicas: [{name: nope, count: 2}]}")));
        var error = assertThrows(InvalidAppException.class,
                () -> renderer.render("uid", "collector", "r3", broken, Map.of("site", "munich")));
        assertEquals("overrides[0].replicas: the app has no Deployment, StatefulSet or ReplicaSet named nope",
                error.getMessage());
        assertEquals("r3", renderer.render("uid", "collector", "r3", broken, Map.of("site", "hamburg")).revision());
    }
}
