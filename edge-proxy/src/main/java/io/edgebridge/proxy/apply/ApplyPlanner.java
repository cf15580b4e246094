package io.edgebridge.proxy.apply;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.proxy.apply.ObjectRef.ObjectKey;
import io.edgebridge.proxy.apply.ResourceTypes.DiscoveryException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, without touching the cluster, what to apply and what to prune for one app: from the
 * app's new bundle, the inventory of what EdgeBridge applied for it before, and which kinds the
 * cluster serves.
 */
public final class ApplyPlanner {

    /** Used when neither the object nor the bundle names a namespace, as kubectl does. */
    public static final String DEFAULT_NAMESPACE = "default";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Comparator<ObjectRef> PRUNE_ORDER = Comparator
            .comparingInt(ApplyPlanner::pruneRank).thenComparing(ObjectRef.ORDER);

    private final ResourceTypes types;

    public ApplyPlanner(ResourceTypes types) {
        this.types = types;
    }

    /**
     * @param previous the app's inventory, or null when nothing was applied for it yet
     * @throws DiscoveryException when the cluster cannot say which kinds it serves; then nothing
     *     may be decided for the app
     */
    public ApplyPlan plan(AppBundle bundle, AppInventory previous) throws DiscoveryException {
        var foundation = new ArrayList<PlannedObject>();
        var rest = new ArrayList<PlannedObject>();
        var errors = new ArrayList<ObjectError>();
        var seen = new HashSet<ObjectKey>();
        var resources = bundle.resources() == null ? List.<GenericKubernetesResource>of() : bundle.resources();
        for (int i = 0; i < resources.size(); i++) {
            var resource = resources.get(i);
            var described = describe(resource, i);
            if (resource == null || blank(resource.getApiVersion()) || blank(resource.getKind())
                    || resource.getMetadata() == null || blank(resource.getMetadata().getName())) {
                errors.add(new ObjectError(described, "apiVersion, kind and metadata.name are required"));
                continue;
            }
            var type = types.lookup(resource.getApiVersion(), resource.getKind());
            if (type.isEmpty()) {
                // kubectl's wording, so the message reads the same as on any Kubernetes tool.
                errors.add(new ObjectError(described, "no matches for kind \"" + resource.getKind()
                        + "\" in version \"" + resource.getApiVersion() + "\" (is its CRD installed?)"));
                continue;
            }
            var planned = planned(bundle, resource, type.get());
            if (!seen.add(planned.ref().key())) {
                errors.add(new ObjectError(planned.ref().toString(), "appears more than once in the bundle"));
                continue;
            }
            (planned.isFoundation() ? foundation : rest).add(planned);
        }
        var apply = new ArrayList<PlannedObject>(foundation);
        // Namespaces before CRDs: a CRD never needs a namespace, but sorting keeps the order stable.
        apply.sort(Comparator.comparing((PlannedObject p) -> !p.ref().describesNamespace()));
        apply.addAll(rest);
        var unwanted = unwanted(previous, seen);
        // An object that cannot be planned may be one of the "unwanted" ones under another version,
        // or its kind may be missing only for now: prune nothing until the whole bundle resolves.
        return new ApplyPlan(bundle.app(), bundle.revision(), bundle.hash(), apply,
                errors.isEmpty() ? unwanted : List.of(), errors.isEmpty() ? List.of() : unwanted, errors,
                namespacesToEnsure(apply));
    }

    /** Everything of a removed app, in deletion order. */
    public static List<ObjectRef> pruneAll(AppInventory inventory) {
        return inventory.objects().stream().sorted(PRUNE_ORDER).toList();
    }

    private static List<ObjectRef> unwanted(AppInventory previous, Set<ObjectKey> wanted) {
        if (previous == null) {
            return List.of();
        }
        return previous.objects().stream().filter(ref -> !wanted.contains(ref.key())).sorted(PRUNE_ORDER).toList();
    }

    private static PlannedObject planned(AppBundle bundle, GenericKubernetesResource resource, ResourceType type) {
        var manifest = SERIALIZATION.clone(resource);
        var metadata = manifest.getMetadata();
        if (type.namespaced()) {
            if (blank(metadata.getNamespace())) {
                metadata.setNamespace(blank(bundle.targetNamespace()) ? DEFAULT_NAMESPACE : bundle.targetNamespace());
            }
        } else {
            metadata.setNamespace(null);
        }
        // Fields the server owns: sent back, they would make the apply conditional or be refused.
        metadata.setResourceVersion(null);
        metadata.setUid(null);
        metadata.setManagedFields(null);
        metadata.setCreationTimestamp(null);
        metadata.setGeneration(null);
        var labels = new LinkedHashMap<String, String>();
        if (metadata.getLabels() != null) {
            labels.putAll(metadata.getLabels());
        }
        labels.put(Labels.APP, bundle.app());
        if (!blank(bundle.revision())) {
            labels.put(Labels.REVISION, bundle.revision());
        }
        metadata.setLabels(labels);
        return new PlannedObject(ObjectRef.of(manifest), type, manifest);
    }

    private static Set<String> namespacesToEnsure(List<PlannedObject> apply) {
        var created = apply.stream().filter(p -> p.ref().describesNamespace()).map(p -> p.ref().name())
                .collect(Collectors.toSet());
        var used = new LinkedHashSet<String>();
        for (var planned : apply) {
            var namespace = planned.ref().namespace();
            if (namespace != null && !created.contains(namespace)) {
                used.add(namespace);
            }
        }
        return used;
    }

    private static int pruneRank(ObjectRef ref) {
        if (ref.describesNamespace()) {
            return 3;
        }
        if (ref.describesCrd()) {
            return 2;
        }
        return ref.namespace() != null ? 0 : 1;
    }

    private static String describe(GenericKubernetesResource resource, int index) {
        if (resource == null || resource.getMetadata() == null || blank(resource.getMetadata().getName())) {
            return "resource #" + (index + 1);
        }
        var namespace = resource.getMetadata().getNamespace();
        return resource.getKind() + " " + (blank(namespace) ? "" : namespace + "/") + resource.getMetadata().getName();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
