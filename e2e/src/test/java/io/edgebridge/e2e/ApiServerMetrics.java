package io.edgebridge.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Request counts from a real API server's own metrics ({@code apiserver_request_total}). */
final class ApiServerMetrics {

    private static final Pattern REQUESTS = Pattern.compile("^apiserver_request_total\\{(.*)} ([0-9.e+]+)$");
    private static final Pattern VERB = Pattern.compile("(?:^|,)verb=\"([A-Z]+)\"");
    private static final Pattern RESOURCE = Pattern.compile("(?:^|,)resource=\"([^\"]*)\"");
    private static final Pattern SUBRESOURCE = Pattern.compile("(?:^|,)subresource=\"([^\"]*)\"");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");

    private final KubernetesClient client;

    ApiServerMetrics(KubernetesClient client) {
        this.client = client;
    }

    /** Every request that changed (or tried to change) something, since the server started. */
    long writes() {
        return count(WRITES);
    }

    /** What the operator's informers watch: a LIST of one of these is an informer starting over. */
    static final Set<String> OPERATOR_RESOURCES = Set.of("edgeclusters", "edgenodes", "edgeapps", "secrets",
            "controllerrevisions");

    /**
     * Full lists (not watches) of the operator's resources: what an informer does when it has to
     * start over. The API server's own repair loops list other things (Services) on their own clock.
     */
    long operatorLists() {
        return listsByResource().entrySet().stream()
                .filter(e -> OPERATOR_RESOURCES.contains(e.getKey().substring("LIST ".length())))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Writes by "VERB resource[/subresource]", to tell which writes an idle fleet makes. */
    Map<String, Long> writesByResource() {
        return byResource(WRITES);
    }

    Map<String, Long> listsByResource() {
        return byResource(Set.of("LIST"));
    }

    private Map<String, Long> byResource(Set<String> verbs) {
        Map<String, Long> counts = new TreeMap<>();
        forEachRequest((labels, value) -> {
            var verb = label(VERB, labels);
            if (verbs.contains(verb)) {
                var subresource = label(SUBRESOURCE, labels);
                counts.merge(verb + " " + label(RESOURCE, labels) + (subresource.isEmpty() ? "" : "/" + subresource),
                        Math.round(value), Long::sum);
            }
        });
        return counts;
    }

    /** What changed between two readings of {@link #writesByResource()}. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((key, value) -> {
            long d = value - before.getOrDefault(key, 0L);
            if (d != 0) {
                delta.put(key, d);
            }
        });
        return delta;
    }

    private long count(Set<String> verbs) {
        var total = new double[1];
        forEachRequest((labels, value) -> {
            if (verbs.contains(label(VERB, labels))) {
                total[0] += value;
            }
        });
        return Math.round(total[0]);
    }

    private void forEachRequest(java.util.function.ObjDoubleConsumer<String> consumer) {
        for (var line : client.raw("/metrics").split("\n")) {
            var request = REQUESTS.matcher(line);
            if (request.matches()) {
                consumer.accept(request.group(1), Double.parseDouble(request.group(2)));
            }
        }
    }

    private static String label(Pattern pattern, String labels) {
        var matcher = pattern.matcher(labels);
        return matcher.find() ? matcher.group(1) : "";
    }
}
