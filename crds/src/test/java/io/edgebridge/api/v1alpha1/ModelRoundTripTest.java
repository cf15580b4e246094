package io.edgebridge.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What a user writes comes back unchanged: nothing lost, nothing defaulted into the spec. */
class ModelRoundTripTest {

    static Stream<JsonNode> examples() {
        return Fixtures.exampleDocuments().stream()
                .filter(doc -> Fixtures.KINDS.containsKey(doc.path("kind").asText()));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("examples")
    void everyExampleRoundTripsThroughTheModel(JsonNode written) {
        var bound = Fixtures.bind(written);
        assertEquals(written, Fixtures.tree(bound));
    }

    @Test
    void examplesHoldAFleetOfThreeNodesTwoClustersAndAnAppInTwoWaves() {
        var kinds = examples().map(doc -> doc.path("kind").asText()).toList();
        assertEquals(3, kinds.stream().filter("EdgeNode"::equals).count());
        assertEquals(2, kinds.stream().filter("EdgeCluster"::equals).count());
        var app = (EdgeApp) Fixtures.bind(examples().filter(d -> d.path("kind").asText().equals("EdgeApp"))
                .findFirst().orElseThrow());
        assertEquals(EdgeAppSpec.Strategy.Waves, app.getSpec().rollout().strategy());
        assertEquals(2, app.getSpec().rollout().waves().size());
        assertEquals(Set.of("ConfigMap", "Deployment"),
                Set.copyOf(app.getSpec().resources().stream().map(r -> r.getKind()).toList()));
    }

    @Test
    void embeddedResourcesKeepEveryFieldTheUserWrote() {
        var written = Fixtures.documents(Path.of(CrdDriftTest.MODULE_DIR.toString(),
                "src/test/resources/edgeapp-unusual-resources.yaml")).get(0);
        var app = (EdgeApp) Fixtures.bind(written);

        var custom = app.getSpec().resources().get(0);
        assertInstanceOf(EmbeddedResource.class, custom);
        assertEquals("Sensor", custom.getKind());
        assertEquals(written.at("/spec/resources/0/spec"), Fixtures.tree(custom.getAdditionalProperties().get("spec")));
        assertEquals(written, Fixtures.tree(app));
    }

    @Test
    void unsetOptionalFieldsReadAsTheirSchemaDefaultsWithoutBeingWritten() {
        var app = (EdgeApp) Fixtures.bind(Fixtures.documents(Path.of(CrdDriftTest.MODULE_DIR.toString(),
                "src/test/resources/edgeapp-minimal.yaml")).get(0));
        var spec = app.getSpec();

        assertNull(spec.rollout());
        assertFalse(spec.suspendOrDefault());
        assertEquals(EdgeAppSpec.DEFAULT_REVISION_HISTORY_LIMIT, spec.revisionHistoryLimitOrDefault());
        assertFalse(Fixtures.tree(app).path("spec").has("suspend"), "a default must not be written into spec");
    }
}
