package io.edgebridge.api.sync.v1;

/** The hub's sync API, version 1. */
public final class SyncPaths {

    public static final String BOOTSTRAP = "/sync/v1/bootstrap";
    /** {@code {cluster}} is the EdgeCluster's namespace and name joined by a dot, as in its certificate. */
    public static final String SYNC = "/sync/v1/clusters/:cluster/sync";
    public static final String RENEW = "/sync/v1/clusters/:cluster/certificate";

    private SyncPaths() {
    }

    public static String sync(String clusterId) {
        return SYNC.replace(":cluster", clusterId);
    }

    public static String renew(String clusterId) {
        return RENEW.replace(":cluster", clusterId);
    }
}
