package io.edgebridge.operator.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Kubernetes label selector semantics, as the API server applies them, for selectors in our specs. */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    /**
     * Whether {@code selector} selects an object with {@code labels}. An empty selector selects
     * everything; call {@link #problems} first, an invalid requirement selects nothing.
     */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var required : selector.getMatchLabels().entrySet()) {
                if (!required.getValue().equals(actual.get(required.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (var requirement : selector.getMatchExpressions()) {
                if (!matches(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        var value = labels.get(requirement.getKey());
        var values = requirement.getValues() == null ? List.<String>of() : requirement.getValues();
        return switch (String.valueOf(requirement.getOperator())) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(requirement.getKey());
            case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
            default -> false;
        };
    }

    /** What is wrong with a selector, in words a person can act on; empty when it is valid. */
    public static List<String> problems(String field, LabelSelector selector) {
        List<String> problems = new ArrayList<>();
        if (selector == null || selector.getMatchExpressions() == null) {
            return problems;
        }
        for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
            var requirement = selector.getMatchExpressions().get(i);
            var where = field + ".matchExpressions[" + i + "]";
            var values = requirement.getValues() == null ? List.<String>of() : requirement.getValues();
            if (requirement.getKey() == null || requirement.getKey().isBlank()) {
                problems.add(where + ": key is required");
            }
            switch (String.valueOf(requirement.getOperator())) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        problems.add(where + ": operator " + requirement.getOperator() + " needs at least one value");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        problems.add(where + ": operator " + requirement.getOperator() + " takes no values");
                    }
                }
                default -> problems.add(where + ": operator must be In, NotIn, Exists or DoesNotExist, not "
                        + requirement.getOperator());
            }
        }
        return problems;
    }
}
