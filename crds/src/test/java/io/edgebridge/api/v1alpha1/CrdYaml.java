package io.edgebridge.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Generates the CRD YAML of the three kinds, the one way both {@code make crds} and the drift check use. */
final class CrdYaml {

    static final List<Class<? extends HasMetadata>> KINDS = List.of(EdgeNode.class, EdgeCluster.class, EdgeApp.class);

    private CrdYaml() {
    }

    static void generate(Path outputDir) {
        new CRDGenerator()
                .customResourceClasses(KINDS)
                .forCRDVersions("v1")
                .withPostProcessor(new DeclaredColumnOrder())
                .inOutputDir(outputDir.toFile())
                .generate();
    }

    static File fileOf(Path dir, Class<? extends HasMetadata> kind) {
        return dir.resolve(CRDGenerator.getOutputName(HasMetadata.getFullResourceName(kind), "v1") + ".yml").toFile();
    }

    /**
     * kubectl shows printer columns in CRD order; the generator sorts them by name, which would put
     * AGE first. Restore the order the kind class declares them in.
     */
    private static final class DeclaredColumnOrder implements CRDPostProcessor {
        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            var definition = (CustomResourceDefinition) crd;
            var kind = KINDS.stream()
                    .filter(k -> HasMetadata.getKind(k).equals(definition.getSpec().getNames().getKind()))
                    .findFirst().orElseThrow();
            List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name).toList();
            for (var version : definition.getSpec().getVersions()) {
                version.getAdditionalPrinterColumns()
                        .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
            }
            return crd;
        }
    }
}
