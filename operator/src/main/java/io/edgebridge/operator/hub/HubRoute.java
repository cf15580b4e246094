package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.SyncPaths;
import java.util.Optional;

/**
 * Which of the hub's three calls a path names, and the cluster in it. The hub matches its paths
 * itself rather than through Vert.x Web's router: a router's routing context, request wrapper and
 * body handler stay with every held long-poll, about 2 KB of heap for each connected proxy.
 *
 * @param cluster the {@code {cluster}} segment, or null for bootstrap
 */
record HubRoute(Call call, String cluster) {

    enum Call { BOOTSTRAP, SYNC, RENEW }

    private static final String CLUSTER = ":cluster";
    /** The text before and after {@code {cluster}} in the sync and renewal paths, split once. */
    private static final String[] SYNC = split(SyncPaths.SYNC);
    private static final String[] RENEW = split(SyncPaths.RENEW);

    /** The call the path names, if any: the cluster segment must be one non-empty segment. */
    static Optional<HubRoute> of(String path) {
        if (path == null) {
            return Optional.empty();
        }
        if (path.equals(SyncPaths.BOOTSTRAP)) {
            return Optional.of(new HubRoute(Call.BOOTSTRAP, null));
        }
        return clusterIn(path, SYNC).map(cluster -> new HubRoute(Call.SYNC, cluster))
                .or(() -> clusterIn(path, RENEW).map(cluster -> new HubRoute(Call.RENEW, cluster)));
    }

    private static String[] split(String template) {
        int at = template.indexOf(CLUSTER);
        return new String[] {template.substring(0, at), template.substring(at + CLUSTER.length())};
    }

    private static Optional<String> clusterIn(String path, String[] template) {
        var prefix = template[0];
        var suffix = template[1];
        if (path.length() <= prefix.length() + suffix.length() || !path.startsWith(prefix) || !path.endsWith(suffix)) {
            return Optional.empty();
        }
        var cluster = path.substring(prefix.length(), path.length() - suffix.length());
        return cluster.indexOf('/') >= 0 ? Optional.empty() : Optional.of(cluster);
    }
}
