package io.edgebridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads YAML, including files of several documents, as Jackson trees. */
final class Yaml {

    private static final YAMLMapper MAPPER = new YAMLMapper();

    private Yaml() {
    }

    static JsonNode parse(String yaml) {
        try {
            return MAPPER.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-empty documents of the files, in order. */
    static List<JsonNode> documents(List<Path> files) {
        var documents = new ArrayList<JsonNode>();
        for (var file : files) {
            try (var parser = new YAMLFactory().createParser(Files.readString(file))) {
                MAPPER.readValues(parser, JsonNode.class).forEachRemaining(document -> {
                    if (document != null && !document.isEmpty()) {
                        documents.add(document);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
        }
        return documents;
    }
}
