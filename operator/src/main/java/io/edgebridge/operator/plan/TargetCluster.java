package io.edgebridge.operator.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A cluster an app targets, as the rollout sees it.
 *
 * @param orderKey where the cluster stands in rollout order (see {@link #orderKeyOf})
 * @param online whether its edge proxy is connected
 * @param report what it reports about the app, or null when it reports nothing
 */
public record TargetCluster(String name, String orderKey, boolean online, AppReport report) {

    /** Rollout order: by key, then name, the same on every replica. */
    public static final Comparator<TargetCluster> ROLLOUT_ORDER =
            Comparator.comparing(TargetCluster::orderKey).thenComparing(TargetCluster::name);

    public static TargetCluster of(String name, boolean online, AppReport report) {
        return new TargetCluster(name, orderKeyOf(name), online, report);
    }

    /**
     * 16 hex digits of the SHA-256 of the name: a spread-out, stable order, so the first clusters of
     * a wave are not always the alphabetically first sites, and a cluster joining or leaving the
     * fleet never moves another cluster across the released boundary.
     */
    public static String orderKeyOf(String clusterName) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(clusterName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    boolean reportsRevision(String revision) {
        return report != null && revision.equals(report.revision());
    }
}
