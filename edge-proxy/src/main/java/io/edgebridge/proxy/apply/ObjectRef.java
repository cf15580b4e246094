package io.edgebridge.proxy.apply;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/**
 * One object in the local cluster, as the inventory records it.
 *
 * @param namespace null for cluster-scoped objects
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    public static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::group)
            .thenComparing(ObjectRef::kind)
            .thenComparing(r -> r.namespace() == null ? "" : r.namespace())
            .thenComparing(ObjectRef::name);

    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(object.getApiVersion(), object.getKind(), object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    /**
     * Identity without the version: the same object served as v1beta1 and v1 is one object, and must
     * not be pruned as "no longer wanted" when a bundle moves to the newer version.
     */
    public ObjectKey key() {
        return new ObjectKey(group(), kind, namespace, name);
    }

    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean describesNamespace() {
        return "Namespace".equals(kind) && "v1".equals(apiVersion);
    }

    public boolean describesCrd() {
        return "CustomResourceDefinition".equals(kind) && "apiextensions.k8s.io".equals(group());
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }

    /** Group, kind, namespace and name: what makes two references the same object. */
    public record ObjectKey(String group, String kind, String namespace, String name) {
    }
}
