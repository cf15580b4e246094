package io.edgebridge.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kubernetes-shaped conditions: lastTransitionTime moves only when the status does. */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";
    /** metav1.Condition allows 32768 characters; status stays small, so messages are cut far sooner. */
    private static final int MAX_MESSAGE = 1024;

    private Conditions() {
    }

    /** A condition to set: type, status, reason and message. */
    public record Desired(String type, String status, String reason, String message) {
    }

    /**
     * The conditions after setting {@code desired}, in the order given, keeping the transition time
     * of every condition whose status did not change.
     */
    public static List<Condition> merge(List<Condition> current, List<Desired> desired, Long generation,
            Instant now) {
        List<Condition> result = new ArrayList<>(desired.size());
        var time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (var want : desired) {
            var existing = find(current, want.type());
            var transition = existing.filter(c -> want.status().equals(c.getStatus()))
                    .map(Condition::getLastTransitionTime).orElse(time);
            result.add(new ConditionBuilder()
                    .withType(want.type())
                    .withStatus(want.status())
                    .withReason(want.reason())
                    .withMessage(truncate(want.message()))
                    .withObservedGeneration(generation)
                    .withLastTransitionTime(transition)
                    .build());
        }
        return result;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    static String truncate(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
