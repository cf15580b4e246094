package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads YAML documents and binds them to the model, the way the API server and the operator do. */
final class Fixtures {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final ObjectMapper YAML = new YAMLMapper();
    static final Path EXAMPLES = CrdDriftTest.MODULE_DIR.resolve("../manifests/examples").normalize();
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "EdgeNode", EdgeNode.class, "EdgeCluster", EdgeCluster.class, "EdgeApp", EdgeApp.class);

    private Fixtures() {
    }

    static List<JsonNode> documents(Path file) {
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> exampleDocuments() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .flatMap(f -> documents(f).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HasMetadata bind(JsonNode doc) {
        var type = KINDS.get(doc.path("kind").asText());
        if (type == null) {
            throw new IllegalArgumentException("not an EdgeBridge kind: " + doc.path("kind"));
        }
        return SERIALIZATION.convertValue(doc, type);
    }

    static JsonNode tree(Object value) {
        return SERIALIZATION.convertValue(value, JsonNode.class);
    }
}
