package io.edgebridge.operator.plan;

import io.edgebridge.api.sync.v1.CanonicalJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.ClusterOverride;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Renders one app revision for one cluster. Clusters whose labels select the same overrides get
 * the same bundle, so the rendering is memoised per (app, revision, selected overrides): a fleet
 * of 10,000 clusters with three site variants renders three bundles, not 10,000.
 */
public final class BundleRenderer {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BUNDLE_HASH_HEX_DIGITS = 16;
    /** The default of {@code edgebridge.operator.max-bundle-bytes} (see OperatorConfig): 1 MiB. */
    public static final long DEFAULT_MAX_BUNDLE_BYTES = 1024 * 1024;

    private final Map<VariantKey, Rendered> cache;
    private final long maxBundleBytes;

    /** With the default size limit. */
    public BundleRenderer(Map<VariantKey, Rendered> cache) {
        this(cache, DEFAULT_MAX_BUNDLE_BYTES);
    }

    /**
     * @param cache where renderings are kept; the caller bounds it (a plain map in tests, an LRU in the hub)
     * @param maxBundleBytes the largest bundle (canonical JSON) that may be shipped; a larger one is an
     *     {@link InvalidAppException}
     */
    public BundleRenderer(Map<VariantKey, Rendered> cache, long maxBundleBytes) {
        this.cache = cache;
        this.maxBundleBytes = maxBundleBytes;
    }

    /** Identifies one rendering: the app (by uid, so a re-created app renders afresh), revision, overrides. */
    public record VariantKey(String appUid, String revision, BitSet overrides) {
    }

    /** A rendering: the bundle, or why there is none. */
    public record Rendered(AppBundle bundle, InvalidAppException error) {
    }

    public AppBundle render(String appUid, String appName, String revision, RevisionContent content,
            Map<String, String> clusterLabels) throws InvalidAppException {
        var selected = selectedOverrides(content.overrides(), clusterLabels);
        var key = new VariantKey(appUid, revision, selected);
        var rendered = cache.get(key);
        if (rendered == null) {
            rendered = renderUncached(appName, revision, content, selected, maxBundleBytes);
            cache.put(key, rendered);
        }
        if (rendered.error() != null) {
            throw rendered.error();
        }
        return rendered.bundle();
    }

    private static BitSet selectedOverrides(List<ClusterOverride> overrides, Map<String, String> labels) {
        var selected = new BitSet(overrides.size());
        for (int i = 0; i < overrides.size(); i++) {
            var selector = overrides.get(i).clusterSelector();
            if (selector != null && LabelSelectors.matches(selector, labels)) {
                selected.set(i);
            }
        }
        return selected;
    }

    private static Rendered renderUncached(String appName, String revision, RevisionContent content, BitSet selected,
            long maxBundleBytes) {
        List<ClusterOverride> applied = new ArrayList<>();
        selected.stream().forEach(i -> applied.add(content.overrides().get(i)));
        try {
            var nodes = OverrideApplier.apply(content.resources(), applied);
            List<GenericKubernetesResource> resources = new ArrayList<>(nodes.size());
            for (var node : nodes) {
                resources.add(MAPPER.treeToValue(node, GenericKubernetesResource.class));
            }
            var unhashed = new AppBundle(appName, revision, null, content.targetNamespace(), resources);
            var canonical = CanonicalJson.bytes(unhashed);
            if (canonical.length > maxBundleBytes) {
                return new Rendered(null, tooLarge(canonical.length, selected, maxBundleBytes));
            }
            var bundle = new AppBundle(appName, revision, CanonicalJson.hashOfBytes(canonical, BUNDLE_HASH_HEX_DIGITS),
                    content.targetNamespace(), List.copyOf(resources));
            return new Rendered(bundle, null);
        } catch (InvalidAppException e) {
            return new Rendered(null, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Rendered(null, new InvalidAppException("a resource cannot be read: " + e.getOriginalMessage()));
        }
    }

    /** Says how large, for which clusters, what the limit is and what to do about it. */
    private static InvalidAppException tooLarge(long size, BitSet selected, long limit) {
        var which = selected.isEmpty() ? "" : " for clusters selected by overrides" + selected.stream()
                .mapToObj(i -> "[" + i + "]").reduce("", String::concat);
        return new InvalidAppException(String.format(java.util.Locale.ROOT,
                "the app renders to %,d bytes%s, more than the %,d bytes that are shipped to an edge site "
                        + "(edgebridge.operator.max-bundle-bytes): split it into smaller EdgeApps, or keep large "
                        + "data out of it (in the image, or fetched by the workload)", size, which, limit));
    }
}
