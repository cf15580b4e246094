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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

    private static final int FORGET_THRESHOLD = 1024;

    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    /** The status this replica wrote last for an object, with the resourceVersion the write produced. */
    private record Written(long resourceVersion, Object status) {
    }

    /**
     * @param current the status as last seen (null when none)
     * @param desired the status wanted, holding only fields this writer owns
     * @return empty when written or nothing changed; otherwise how long to wait before the next try
     */
    public <T extends HasMetadata> Optional<Duration> write(T resource, Object current, Object desired) {
        return write("reconciler", resource, current, desired);
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
        var uid = writer + "/" + resource.getMetadata().getUid();
        var now = clock.instant();
        var previous = lastWrite.get(uid);
        if (previous != null && previous.plus(config.statusWriteInterval()).isAfter(now)) {
            return Optional.of(Duration.between(now, previous.plus(config.statusWriteInterval())));
        }
        var status = client.resource(resource).subresource("status");
        // The first write merges, so it cannot clobber fields another writer set meanwhile.
        var updated = current == null
                ? status.patch(PatchContext.of(PatchType.JSON_MERGE),
                        JsonNodeFactory.instance.objectNode().set("status", tree(desired)).toString())
                : status.patch(PatchContext.of(PatchType.JSON), operations(tree(desired), patch).toString());
        lastWrite.put(uid, now);
        forgetOld(now);
        resourceVersion(updated).ifPresent(version -> written.put(resource.getMetadata().getUid(),
                new Written(version, desired)));
        return Optional.empty();
    }

    /**
     * The newer of the cached status and the one this replica wrote last. The informer cache can
     * lag behind a write; planning from an older status would undo the step just written.
     */
    @SuppressWarnings("unchecked")
    public <S> S latest(HasMetadata resource, S cached) {
        var mine = written.get(resource.getMetadata().getUid());
        var cachedVersion = resourceVersion(resource);
        if (mine == null || cachedVersion.isEmpty() || cachedVersion.get() >= mine.resourceVersion()) {
            written.remove(resource.getMetadata().getUid());
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

    /**
     * Drops what no longer matters: write times past the interval and written statuses the cache has
     * long caught up with. Keeps the maps bounded by recent activity, deleted objects included.
     */
    private void forgetOld(Instant now) {
        if (lastWrite.size() < FORGET_THRESHOLD) {
            return;
        }
        var horizon = now.minus(config.statusWriteInterval().multipliedBy(60));
        lastWrite.entrySet().removeIf(e -> {
            boolean old = e.getValue().isBefore(horizon);
            if (old) {
                written.remove(e.getKey());
            }
            return old;
        });
    }

    private static JsonNode tree(Object status) {
        return status == null ? JsonNodeFactory.instance.objectNode() : CanonicalJson.tree(status);
    }
}
