package io.edgebridge.proxy.apply;

import io.edgebridge.proxy.apply.ResourceTypes.DiscoveryException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies objects to the local cluster with server-side apply, as field manager
 * {@value Labels#FIELD_MANAGER} with forced conflicts: the hub's intent wins for the fields it sets,
 * and fields set by others (an HPA's replicas, a controller's annotations) are left alone.
 */
public final class ServerSideApplier implements Applier {

    private static final Logger LOG = Logger.getLogger(ServerSideApplier.class);

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final Duration crdEstablishTimeout;

    public ServerSideApplier(KubernetesClient client, ResourceTypes types) {
        this(client, types, Duration.ofSeconds(10));
    }

    public ServerSideApplier(KubernetesClient client, ResourceTypes types, Duration crdEstablishTimeout) {
        this.client = client;
        this.types = types;
        this.crdEstablishTimeout = crdEstablishTimeout;
    }

    @Override
    public GenericKubernetesResource apply(PlannedObject object) throws ApplyException {
        try {
            var stored = resource(object).fieldManager(Labels.FIELD_MANAGER).forceConflicts()
                    .serverSideApply();
            if (object.ref().describesCrd() && !LiveObjects.conditionIsTrue(stored, "Established")) {
                awaitEstablished(object.ref().name());
            }
            return stored;
        } catch (KubernetesClientException e) {
            throw new ApplyException(serverMessage(e), e);
        }
    }

    @Override
    public void ensureNamespace(String name) throws ApplyException {
        try {
            if (client.namespaces().withName(name).get() != null) {
                return;
            }
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                    .addToLabels(Labels.MANAGED_BY, Labels.FIELD_MANAGER).endMetadata().build()).create();
            LOG.infof("Created namespace %s", name);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw new ApplyException(serverMessage(e), e);
            }
        }
    }

    @Override
    public Optional<GenericKubernetesResource> read(ObjectRef ref) throws ApplyException {
        try {
            var type = types.lookup(ref.apiVersion(), ref.kind());
            if (type.isEmpty()) {
                return Optional.empty();
            }
            return Optional.ofNullable(resource(type.get(), ref).get());
        } catch (DiscoveryException e) {
            throw new ApplyException(e.getMessage(), e);
        } catch (KubernetesClientException e) {
            throw new ApplyException(serverMessage(e), e);
        }
    }

    /** One LIST by label per kind and namespace instead of one GET per object: gentle on a small K3s. */
    @Override
    public Map<ObjectRef, GenericKubernetesResource> readAll(String app, Collection<ObjectRef> refs)
            throws ApplyException {
        var found = new HashMap<ObjectRef, GenericKubernetesResource>();
        var byListing = refs.stream().collect(Collectors.groupingBy(
                ref -> new Listing(ref.apiVersion(), ref.kind(), ref.namespace())));
        try {
            for (var entry : byListing.entrySet()) {
                var listing = entry.getKey();
                var type = types.lookup(listing.apiVersion(), listing.kind());
                if (type.isEmpty()) {
                    continue;
                }
                var operation = client.genericKubernetesResources(type.get().context());
                var items = (type.get().namespaced() ? operation.inNamespace(listing.namespace()) : operation)
                        .withLabel(Labels.APP, app).list().getItems();
                var byName = items.stream().collect(Collectors.toMap(i -> i.getMetadata().getName(), i -> i));
                for (var ref : entry.getValue()) {
                    var live = byName.get(ref.name());
                    if (live != null) {
                        found.put(ref, live);
                    }
                }
            }
            return found;
        } catch (DiscoveryException e) {
            throw new ApplyException(e.getMessage(), e);
        } catch (KubernetesClientException e) {
            throw new ApplyException(serverMessage(e), e);
        }
    }

    private record Listing(String apiVersion, String kind, String namespace) {
    }

    @Override
    public DeleteResult deleteIfOwned(ObjectRef ref, String app) throws ApplyException {
        try {
            var type = types.lookup(ref.apiVersion(), ref.kind());
            if (type.isEmpty()) {
                // The kind is gone (its CRD was deleted), and with it every object of the kind.
                return DeleteResult.ABSENT;
            }
            var resource = resource(type.get(), ref);
            var live = resource.get();
            if (live == null) {
                return DeleteResult.ABSENT;
            }
            if (!LiveObjects.label(live, Labels.APP).filter(app::equals).isPresent()) {
                return DeleteResult.NOT_OWNED;
            }
            // The precondition makes the check above hold at deletion: had someone replaced the
            // object in between, the server refuses (409) and the next round looks again.
            resource.lockResourceVersion(live.getMetadata().getResourceVersion()).delete();
            return DeleteResult.DELETED;
        } catch (DiscoveryException e) {
            throw new ApplyException(e.getMessage(), e);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return DeleteResult.ABSENT;
            }
            throw new ApplyException(serverMessage(e), e);
        }
    }

    private Resource<GenericKubernetesResource> resource(ResourceType type, ObjectRef ref) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
                operation = client.genericKubernetesResources(type.context());
        NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> scoped = type.namespaced()
                        ? operation.inNamespace(ref.namespace()) : operation;
        return scoped.withName(ref.name());
    }

    private Resource<GenericKubernetesResource> resource(ResourceType type, ObjectRef ref,
            GenericKubernetesResource manifest) {
        var operation = client.genericKubernetesResources(type.context());
        return type.namespaced() ? operation.inNamespace(ref.namespace()).resource(manifest)
                : operation.resource(manifest);
    }

    private Resource<GenericKubernetesResource> resource(PlannedObject object) {
        return resource(object.type(), object.ref(), object.manifest());
    }

    /** Custom resources of a new CRD can only be applied once the server serves the kind. */
    private void awaitEstablished(String name) {
        try {
            client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
                    crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                            && crd.getStatus().getConditions().stream()
                                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                    crdEstablishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            // Its custom resources fail this round with "no matches for kind" and are retried.
            LOG.warnf("CustomResourceDefinition %s is not established after %s", name, crdEstablishTimeout);
        }
    }

    /** The API server's own explanation (e.g. a validation message), not the client's wrapper text. */
    static String serverMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
