package io.edgebridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.edgebridge.operator.plan.JsonMergePatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One input for the API server, from src/test/resources/crd-validation (README.md there explains
 * the format): a valid object changed by merge patches, and the text the server must refuse it
 * with, or none when it must accept it.
 */
record ValidationCase(String name, JsonNode valid, JsonNode create, JsonNode update, String refused) {

    static final String FOLDER = "crd-validation";
    private static final ObjectMapper YAML = new YAMLMapper();

    String apiVersion() {
        return valid.path("apiVersion").asText();
    }

    String kind() {
        return valid.path("kind").asText();
    }

    boolean isUpdate() {
        return update != null;
    }

    boolean isRefused() {
        return refused != null;
    }

    /** The object to create, named after the case unless the case names it. */
    JsonNode objectToCreate(String namespace) {
        var base = (ObjectNode) valid.deepCopy();
        var metadata = base.has("metadata") ? (ObjectNode) base.get("metadata") : base.putObject("metadata");
        metadata.put("name", name).put("namespace", namespace);
        return JsonMergePatch.apply(base, create);
    }

    /** The update to send, made from the object as the server stored it. */
    JsonNode objectToUpdate(JsonNode stored) {
        return JsonMergePatch.apply(stored, Objects.requireNonNull(update, "not an update case"));
    }

    @Override
    public String toString() {
        return kind() + " " + name + (isRefused() ? " is refused" : " is accepted");
    }

    static List<ValidationCase> all() {
        try (Stream<Path> files = Files.list(folder())) {
            var cases = new ArrayList<ValidationCase>();
            for (var file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                cases.addAll(load(file));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ValidationCase> load(Path file) throws IOException {
        var content = YAML.readTree(file.toFile());
        var valid = content.path("valid");
        if (!valid.isObject() || !content.path("cases").isArray()) {
            throw new IllegalArgumentException(file + " needs a valid object and a list of cases");
        }
        var names = new HashSet<String>();
        var cases = new ArrayList<ValidationCase>();
        for (var entry : content.path("cases")) {
            var name = entry.path("name").asText("");
            // Names double as object names, so a repeated one would clash with an earlier case's object.
            if (name.isEmpty() || !names.add(name)) {
                throw new IllegalArgumentException(file + ": every case needs a name of its own: " + entry);
            }
            cases.add(new ValidationCase(name, valid,
                    entry.get("create"), entry.get("update"),
                    entry.hasNonNull("refused") ? entry.get("refused").asText() : null));
        }
        return cases;
    }

    private static Path folder() {
        try {
            return Path.of(Objects.requireNonNull(ValidationCase.class.getClassLoader().getResource(FOLDER),
                    FOLDER + " is not on the test class path").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
