package io.edgebridge.operator.status;

import io.edgebridge.api.sync.v1.CanonicalJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgebridge.operator.config.OperatorConfig;

import io.edgebridge.operator.plan.JsonMergePatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Writes only the status fields that changed, no more often than
 * {@link OperatorConfig#statusWriteInterval()} per object.
 *
 * <p>The write is a JSON patch that sets each changed top-level status field whole (null removes
 * one: the API server prunes nulls of non-nullable fields). Without a resourceVersion it never
 * conflicts, and it leaves alone the fields another writer owns: the hub writes what edge proxies
 * report into the same status. Setting fields whole, rather than merging, keeps lists exact.
 */
@ApplicationScoped
public class StatusWriter {

    @Inject
    KubernetesClient client;

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    /** The writer whose writes {@link #latest} reads back: the reconcilers. */
    private static final String RECONCILER = "reconciler";

    private RecentWrites recent;

    @PostConstruct
    void init() {
        recent = new RecentWrites(config.statusWriteInterval());
    }

    /**
     * @param current the status as last seen (null when none)
     * @param desired the status wanted, holding only fields this writer owns
     * @return empty when written or nothing changed; otherwise how long to wait before the next try
     */
    public <T extends HasMetadata> Optional<Duration> write(T resource, Object current, Object desired) {
        return write(RECONCILER, resource, current, desired);
    }

    /**
     * @param writer who writes: each writer of an object's status has its own write rate
     */
    public <T extends HasMetadata> Optional<Duration> write(String writer, T resource, Object current,
            Object desired) {
        JsonNode patch = JsonMergePatch.diff(tree(current), tree(desired));
        if (patch.isEmpty()) {
            return Optional.empty();
        }
        var key = writer + "/" + resource.getMetadata().getUid();
        var now = clock.instant();
        var wait = recent.wait(key, now);
        if (wait.isPresent()) {
            return wait;
        }
        var status = client.resource(resource).subresource("status");
        // The first write merges, so it cannot clobber fields another writer set meanwhile.
        var updated = current == null
                ? status.patch(PatchContext.of(PatchType.JSON_MERGE),
                        JsonNodeFactory.instance.objectNode().set("status", tree(desired)).toString())
                : status.patch(PatchContext.of(PatchType.JSON), operations(tree(desired), patch).toString());
        // Other writers (the hub) never read their status back: keeping it would hold a copy per cluster.
        recent.wrote(key, now, resourceVersion(updated), RECONCILER.equals(writer) ? desired : null);
        return Optional.empty();
    }

    /**
     * The newer of the cached status and the one this replica wrote last. The informer cache can
     * lag behind a write; planning from an older status would undo the step just written.
     */
    @SuppressWarnings("unchecked")
    public <S> S latest(HasMetadata resource, S cached) {
        var key = RECONCILER + "/" + resource.getMetadata().getUid();
        var mine = recent.written(key).orElse(null);
        var cachedVersion = resourceVersion(resource);
        if (mine == null || cachedVersion.isEmpty() || cachedVersion.get() >= mine.resourceVersion()) {
            recent.caughtUp(key);
            return cached;
        }
        return (S) mine.status();
    }

    private static Optional<Long> resourceVersion(HasMetadata resource) {
        try {
            return Optional.of(Long.parseLong(resource.getMetadata().getResourceVersion()));
        } catch (RuntimeException e) {
            // resourceVersion is opaque by contract; when it is not a number, trust the cache.
            return Optional.empty();
        }
    }

    private static JsonNode operations(JsonNode desired, JsonNode changed) {
        var ops = JsonNodeFactory.instance.arrayNode();
        changed.fieldNames().forEachRemaining(field -> ops.addObject().put("op", "add")
                .put("path", "/status/" + field.replace("~", "~0").replace("/", "~1"))
                .set("value", desired.has(field) ? desired.get(field) : JsonNodeFactory.instance.nullNode()));
        return ops;
    }

    private static JsonNode tree(Object status) {
        return status == null ? JsonNodeFactory.instance.objectNode() : CanonicalJson.tree(status);
    }
}
