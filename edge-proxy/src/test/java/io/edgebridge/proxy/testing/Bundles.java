package io.edgebridge.proxy.testing;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small bundles and objects for tests. */
public final class Bundles {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Bundles() {
    }

    /** A bundle whose hash is computed the way the hub does it: from its content. */
    public static AppBundle bundle(String app, String revision, String targetNamespace,
            GenericKubernetesResource... resources) {
        var list = Arrays.asList(resources);
        var hash = CanonicalJson.hash(Map.of("app", app, "revision", revision, "resources", list), 16);
        return new AppBundle(app, revision, hash, targetNamespace, List.copyOf(list));
    }

    public static GenericKubernetesResource configMap(String name, Map<String, String> data) {
        return object("v1", "ConfigMap", null, name, Map.of("data", data));
    }

    public static GenericKubernetesResource object(String apiVersion, String kind, String namespace, String name,
            Map<String, Object> fields) {
        var json = new LinkedHashMap<String, Object>();
        json.put("apiVersion", apiVersion);
        json.put("kind", kind);
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        json.put("metadata", metadata);
        json.putAll(fields);
        return SERIALIZATION.convertValue(json, GenericKubernetesResource.class);
    }
}
