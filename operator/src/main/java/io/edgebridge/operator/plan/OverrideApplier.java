package io.edgebridge.operator.plan;

import io.edgebridge.api.sync.v1.CanonicalJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.ClusterOverride;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.EnvOverride;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.ImageOverride;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.PatchOverride;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.ReplicaOverride;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies overrides, in order, to copies of an app's resources and checks that the result can
 * still be applied. An override that finds nothing to change is an error: it is almost always a
 * typo, and silently ignoring it would ship the wrong thing to a site.
 */
public final class OverrideApplier {

    /** Where each workload kind keeps its pod spec. */
    private static final Map<String, String> POD_SPEC_PATHS = Map.of(
            "Pod", "/spec",
            "Deployment", "/spec/template/spec",
            "StatefulSet", "/spec/template/spec",
            "DaemonSet", "/spec/template/spec",
            "ReplicaSet", "/spec/template/spec",
            "ReplicationController", "/spec/template/spec",
            "Job", "/spec/template/spec",
            "CronJob", "/spec/jobTemplate/spec/template/spec");
    private static final Set<String> SCALABLE_KINDS = Set.of("Deployment", "StatefulSet", "ReplicaSet",
            "ReplicationController");

    private OverrideApplier() {
    }

    public static List<ObjectNode> apply(List<?> resources, List<ClusterOverride> overrides)
            throws InvalidAppException {
        List<ObjectNode> copies = new ArrayList<>(resources.size());
        for (var resource : resources) {
            copies.add(CanonicalJson.tree(resource).deepCopy());
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < overrides.size(); i++) {
            var override = overrides.get(i);
            var where = "overrides[" + i + "]";
            list(override.images()).forEach(image -> applyImage(copies, image, where, problems));
            list(override.replicas()).forEach(replicas -> applyReplicas(copies, replicas, where, problems));
            list(override.env()).forEach(env -> applyEnv(copies, env, where, problems));
            for (var patch : list(override.patches())) {
                applyPatch(copies, patch, where, problems);
            }
        }
        problems.addAll(checkApplicable(copies));
        if (!problems.isEmpty()) {
            throw new InvalidAppException(problems);
        }
        return copies;
    }

    /**
     * Problems of each override applied alone: what it names must exist in the app, whether or
     * not a cluster selects it today.
     */
    public static List<String> checkEach(List<?> resources, List<ClusterOverride> overrides) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < overrides.size(); i++) {
            try {
                apply(resources, List.of(overrides.get(i)));
            } catch (InvalidAppException e) {
                for (var problem : e.problems()) {
                    problems.add(problem.replaceFirst("^overrides\\[0\\]", "overrides[" + i + "]"));
                }
            }
        }
        return problems;
    }

    /** Every resource needs apiVersion, kind and a name, and no two may be the same object. */
    public static List<String> checkApplicable(List<ObjectNode> resources) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            var resource = resources.get(i);
            var where = "resources[" + i + "]";
            for (var field : List.of("/apiVersion", "/kind", "/metadata/name")) {
                var value = resource.at(field);
                if (!value.isTextual() || value.asText().isBlank()) {
                    problems.add(where + ": " + field.substring(1).replace('/', '.') + " is required");
                }
            }
            var identity = resource.path("apiVersion").asText() + "/" + resource.path("kind").asText() + "/"
                    + resource.at("/metadata/namespace").asText() + "/" + resource.at("/metadata/name").asText();
            if (!seen.add(identity)) {
                problems.add(where + ": " + resource.path("kind").asText() + " "
                        + resource.at("/metadata/name").asText() + " appears more than once");
            }
        }
        return problems;
    }

    private static void applyImage(List<ObjectNode> resources, ImageOverride override, String where,
            List<String> problems) {
        boolean matched = false;
        for (var container : containers(resources, null)) {
            var image = ImageReference.parse(container.path("image").asText(""));
            if (image.name().equals(override.name())) {
                container.put("image", image.with(override.newName(), override.newTag(), override.digest()).toString());
                matched = true;
            }
        }
        if (!matched) {
            problems.add(where + ".images: no container of the app uses image " + override.name());
        }
    }

    private static void applyReplicas(List<ObjectNode> resources, ReplicaOverride override, String where,
            List<String> problems) {
        boolean matched = false;
        for (var resource : resources) {
            if (SCALABLE_KINDS.contains(resource.path("kind").asText())
                    && override.name().equals(resource.at("/metadata/name").asText())) {
                spec(resource).put("replicas", override.count());
                matched = true;
            }
        }
        if (!matched) {
            problems.add(where + ".replicas: the app has no Deployment, StatefulSet or ReplicaSet named "
                    + override.name());
        }
    }

    private static void applyEnv(List<ObjectNode> resources, EnvOverride override, String where,
            List<String> problems) {
        var containers = containers(resources, override.container());
        if (containers.isEmpty()) {
            problems.add(where + ".env: " + (override.container() == null
                    ? "the app has no workload with containers"
                    : "no container named " + override.container()));
            return;
        }
        for (var container : containers) {
            var env = container.has("env") && container.get("env").isArray()
                    ? (ArrayNode) container.get("env")
                    : container.putArray("env");
            ObjectNode entry = null;
            for (var existing : env) {
                if (override.name().equals(existing.path("name").asText())) {
                    entry = (ObjectNode) existing;
                }
            }
            if (entry == null) {
                entry = env.addObject().put("name", override.name());
            }
            entry.remove("valueFrom");
            entry.put("value", override.value());
        }
    }

    private static void applyPatch(List<ObjectNode> resources, PatchOverride override, String where,
            List<String> problems) {
        var target = override.target();
        boolean matched = false;
        for (int i = 0; i < resources.size(); i++) {
            var resource = resources.get(i);
            if (target.kind().equals(resource.path("kind").asText())
                    && target.name().equals(resource.at("/metadata/name").asText())
                    && (target.apiVersion() == null || target.apiVersion().equals(resource.path("apiVersion").asText()))) {
                var patched = JsonMergePatch.apply(resource, override.mergePatch());
                if (!patched.isObject()) {
                    problems.add(where + ".patches: the patch for " + target.kind() + " " + target.name()
                            + " must be a JSON object");
                } else {
                    resources.set(i, (ObjectNode) patched);
                }
                matched = true;
            }
        }
        if (!matched) {
            problems.add(where + ".patches: the app has no " + target.kind() + " named " + target.name());
        }
    }

    /** Containers and init containers of every workload, optionally only those with a given name. */
    private static List<ObjectNode> containers(List<ObjectNode> resources, String name) {
        List<ObjectNode> found = new ArrayList<>();
        for (var resource : resources) {
            var path = POD_SPEC_PATHS.get(resource.path("kind").asText());
            if (path == null) {
                continue;
            }
            var podSpec = resource.at(path);
            for (var list : List.of("initContainers", "containers")) {
                for (JsonNode container : podSpec.path(list)) {
                    if (container.isObject() && (name == null || name.equals(container.path("name").asText()))) {
                        found.add((ObjectNode) container);
                    }
                }
            }
        }
        return found;
    }

    private static ObjectNode spec(ObjectNode resource) {
        return resource.has("spec") && resource.get("spec").isObject()
                ? (ObjectNode) resource.get("spec")
                : resource.putObject("spec");
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** An OCI image reference split the way kustomize's images field sees it. */
    record ImageReference(String name, String tag, String digest) {

        static ImageReference parse(String image) {
            String rest = image;
            String digest = null;
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return new ImageReference(rest, tag, digest);
        }

        ImageReference with(String newName, String newTag, String newDigest) {
            var name = newName != null ? newName : this.name;
            if (newDigest != null) {
                return new ImageReference(name, null, newDigest);
            }
            if (newTag != null) {
                return new ImageReference(name, newTag, null);
            }
            return new ImageReference(name, tag, digest);
        }

        @Override
        public String toString() {
            return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
        }
    }
}
