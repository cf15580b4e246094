package io.edgebridge.operator.plan;

import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.FailurePolicy;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.OfflinePolicy;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.Rollout;
import io.edgebridge.api.v1alpha1.EdgeAppSpec.Strategy;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;

/** An app's rollout settings with the schema defaults filled in (they are never written to the spec). */
public record RolloutSettings(
        Strategy strategy,
        IntOrString maxUnavailable,
        IntOrString maxFailures,
        Duration progressDeadline,
        Duration pauseBetweenWaves,
        FailurePolicy failurePolicy,
        OfflinePolicy offlinePolicy) {

    public static RolloutSettings of(Rollout rollout) {
        Rollout r = rollout != null ? rollout : new Rollout(null, null, null, null, null, null, null, null);
        return new RolloutSettings(
                r.strategy() != null ? r.strategy() : Strategy.All,
                r.maxUnavailable() != null ? r.maxUnavailable() : new IntOrString(Rollout.DEFAULT_MAX_UNAVAILABLE),
                r.maxFailures() != null ? r.maxFailures() : new IntOrString(0),
                GoDuration.parseOr(r.progressDeadline(), Rollout.DEFAULT_PROGRESS_DEADLINE),
                r.pauseBetweenWaves() != null ? GoDuration.parse(r.pauseBetweenWaves()) : Duration.ZERO,
                r.failurePolicy() != null ? r.failurePolicy() : FailurePolicy.Pause,
                r.offlinePolicy() != null ? r.offlinePolicy() : OfflinePolicy.Defer);
    }

    /** maxUnavailable for a wave of {@code size} clusters: percentages round up, and at least 1. */
    public int maxUnavailable(int size) {
        return Math.max(1, resolve(maxUnavailable, size, true));
    }

    /** maxFailures for {@code targeted} clusters: percentages round down. */
    public int maxFailures(int targeted) {
        return resolve(maxFailures, targeted, false);
    }

    static int resolve(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        var text = value.getStrVal().trim();
        if (!text.endsWith("%")) {
            return Integer.parseInt(text);
        }
        double share = Integer.parseInt(text.substring(0, text.length() - 1)) * total / 100.0;
        return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }

    /** Whether a cluster that is offline holds up its wave. */
    public boolean offlineCounts() {
        return offlinePolicy == EdgeAppSpec.OfflinePolicy.Wait;
    }
}
