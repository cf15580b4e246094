package io.edgebridge.operator.app;

import io.edgebridge.api.v1alpha1.EdgeApp;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.plan.RevisionContent;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps each revision an app had in a ControllerRevision it owns, so any replica can render the
 * revision a cluster still runs, and bounds the history.
 */
@ApplicationScoped
public class RevisionHistory {

    /** Annotation with the revision (content hash) a ControllerRevision holds. */
    public static final String REVISION_ANNOTATION = "edgebridge.io/revision";
    private static final Logger LOG = Logger.getLogger(RevisionHistory.class);

    @Inject
    KubernetesClient client;

    @Inject
    FleetCache fleet;


    /** The app's kept revisions, by revision name. */
    public Map<String, ControllerRevision> kept(EdgeApp app) {
        Map<String, ControllerRevision> kept = new LinkedHashMap<>();
        fleet.revisionsOf(app).stream()
                .sorted(Comparator.comparing(ControllerRevision::getRevision))
                .forEach(r -> kept.put(r.getMetadata().getAnnotations().get(REVISION_ANNOTATION), r));
        return kept;
    }

    public RevisionContent content(ControllerRevision revision) {
        return client.getKubernetesSerialization().convertValue(revision.getData(), RevisionContent.class);
    }

    /** Stores {@code content} as {@code revision} unless it is already kept. */
    public void ensure(EdgeApp app, String revision, RevisionContent content, Map<String, ControllerRevision> kept) {
        if (kept.containsKey(revision)) {
            return;
        }
        long number = kept.values().stream().mapToLong(ControllerRevision::getRevision).max().orElse(0) + 1;
        var meta = app.getMetadata();
        var stored = new ControllerRevisionBuilder()
                .withNewMetadata()
                    .withName(meta.getName() + "-" + revision)
                    .withNamespace(meta.getNamespace())
                    .addToLabels(FleetCache.APP_LABEL, meta.getName())
                    .addToAnnotations(REVISION_ANNOTATION, revision)
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(app.getApiVersion()).withKind(app.getKind())
                            .withName(meta.getName()).withUid(meta.getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withRevision(number)
                .withData(client.getKubernetesSerialization().convertValue(content, Object.class))
                .build();
        try {
            client.resource(stored).create();
            LOG.infof("EdgeApp %s/%s: stored revision %s (#%d)", meta.getNamespace(), meta.getName(), revision, number);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    /** Deletes the oldest revisions beyond {@code limit}, never one in {@code inUse}. */
    public void prune(Map<String, ControllerRevision> kept, int limit, Set<String> inUse) {
        int excess = kept.size() - limit;
        for (var entry : kept.entrySet()) {
            if (excess <= 0) {
                return;
            }
            if (inUse.contains(entry.getKey())) {
                continue;
            }
            client.resource(entry.getValue()).delete();
            excess--;
        }
    }
}
