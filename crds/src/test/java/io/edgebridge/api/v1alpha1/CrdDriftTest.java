package io.edgebridge.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD YAML committed in crds/ must be what the model generates. {@code make crds} runs this
 * test with {@code -Dcrds.update=true} to rewrite the committed files instead.
 */
class CrdDriftTest {

    static final Path MODULE_DIR = Path.of(System.getProperty("basedir", "."));

    @Test
    void committedCrdsMatchTheModel(@TempDir Path generated) throws IOException {
        CrdYaml.generate(generated);
        boolean update = Boolean.getBoolean("crds.update");
        for (var kind : CrdYaml.KINDS) {
            Path fresh = CrdYaml.fileOf(generated, kind).toPath();
            Path committed = CrdYaml.fileOf(MODULE_DIR, kind).toPath();
            if (update) {
                Files.copy(fresh, committed, StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            assertTrue(Files.exists(committed), committed + " is missing: run `make crds` and commit the result");
            assertEquals(Files.readString(fresh), Files.readString(committed),
                    committed.getFileName() + " differs from the Java model: run `make crds` and commit the result");
        }
    }
}
