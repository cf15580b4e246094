package io.edgebridge.operator.plan;

import io.edgebridge.api.v1alpha1.EdgeAppStatus.RolloutStatus;
import io.edgebridge.api.v1alpha1.EdgeAppStatus.WaveStatus;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Which revision of an app one cluster must run: a pure function of the rollout status and what the cluster reports. */
public final class DesiredRevision {

    private DesiredRevision() {
    }

    /**
     * What of a rollout status {@link #of} reads: which revisions, and how far each wave is released.
     * Counts and times change with every cluster that reports; they decide nothing a cluster runs.
     */
    public record Inputs(String revision, String previousRevision, Map<String, String> releasedUpTo) {
    }

    public static Inputs inputsOf(RolloutStatus rollout) {
        if (rollout == null) {
            return null;
        }
        Map<String, String> released = new TreeMap<>();
        if (rollout.waves() != null) {
            rollout.waves().forEach(w -> released.put(w.name(), w.releasedUpTo()));
        }
        return new Inputs(rollout.revision(), rollout.previousRevision(), released);
    }

    /**
     * @param rollout the app's rollout status (null before anything was released)
     * @param wave the cluster's wave under the current spec
     * @param orderKey the cluster's rollout-order key
     * @param reported the revision the cluster reports running, or null
     * @param kept revisions still kept in ControllerRevisions
     * @return the revision, or null when the cluster gets no version of the app yet
     */
    public static String of(RolloutStatus rollout, String wave, String orderKey, String reported, Set<String> kept) {
        if (rollout == null || rollout.revision() == null) {
            return null;
        }
        if (rollout.waves() != null) {
            for (WaveStatus status : rollout.waves()) {
                if (status.name().equals(wave) && RolloutPlanner.released(status.releasedUpTo(), orderKey)) {
                    return rollout.revision();
                }
            }
        }
        if (reported != null && kept.contains(reported)) {
            return reported;
        }
        return rollout.previousRevision();
    }
}
