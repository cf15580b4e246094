package io.edgebridge.operator.plan;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Loads test EdgeApps from YAML and edits their overrides. */
final class PlanFixtures {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final YAMLMapper YAML = new YAMLMapper();

    private PlanFixtures() {
    }

    static EdgeApp app(String resource) {
        try (var in = PlanFixtures.class.getResourceAsStream("/plan/" + resource)) {
            return SERIALIZATION.unmarshal(in, EdgeApp.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flow-style YAML such as {@code {a: 1}} too, which the Kubernetes unmarshaller takes for JSON. */
    static <T> T yaml(String yaml, Class<T> type) {
        try {
            return SERIALIZATION.convertValue(YAML.readTree(yaml), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EdgeAppSpec.ClusterOverride override(String yaml) {
        return yaml(yaml, EdgeAppSpec.ClusterOverride.class);
    }

    static RevisionContent withOverrides(EdgeApp app, List<EdgeAppSpec.ClusterOverride> overrides) {
        var content = RevisionContent.of(app);
        return new RevisionContent(content.resources(), overrides, content.targetNamespace());
    }
}
