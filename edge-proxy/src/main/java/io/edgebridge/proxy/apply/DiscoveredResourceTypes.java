package io.edgebridge.proxy.apply;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which kinds the cluster serves and whether they are namespaced, from API discovery, cached per
 * group-version. A kind that is not found is looked up again once the cache entry is a little old,
 * so a CRD installed by someone else is picked up without a restart.
 */
public final class DiscoveredResourceTypes implements ResourceTypes {

    private static final Duration RECHECK_MISSING_AFTER = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Served> cache = new ConcurrentHashMap<>();

    public DiscoveredResourceTypes(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    public DiscoveredResourceTypes(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    private record Served(Map<String, ResourceType> byKind, Instant fetched) {
    }

    @Override
    public Optional<ResourceType> lookup(String apiVersion, String kind) throws DiscoveryException {
        var served = cache.get(apiVersion);
        if (served == null || (!served.byKind().containsKey(kind)
                && served.fetched().plus(RECHECK_MISSING_AFTER).isBefore(clock.instant()))) {
            served = fetch(apiVersion);
            cache.put(apiVersion, served);
        }
        return Optional.ofNullable(served.byKind().get(kind));
    }

    @Override
    public void refresh() {
        cache.clear();
    }

    private Served fetch(String apiVersion) throws DiscoveryException {
        int slash = apiVersion.indexOf('/');
        var group = slash < 0 ? "" : apiVersion.substring(0, slash);
        var version = apiVersion.substring(slash + 1);
        var byKind = new HashMap<String, ResourceType>();
        try {
            var list = client.getApiResources(apiVersion);
            if (list != null && list.getResources() != null) {
                for (APIResource resource : list.getResources()) {
                    // Subresources (deployments/status, pods/log) share their parent's kind.
                    if (resource.getName().contains("/")) {
                        continue;
                    }
                    byKind.put(resource.getKind(), new ResourceType(group, version, resource.getKind(),
                            resource.getName(), Boolean.TRUE.equals(resource.getNamespaced())));
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw new DiscoveryException("discovery of " + apiVersion + " failed: " + e.getMessage(), e);
            }
            // 404: the server does not serve this group-version at all.
        }
        return new Served(Map.copyOf(byKind), clock.instant());
    }
}
