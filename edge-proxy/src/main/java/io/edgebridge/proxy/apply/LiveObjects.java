package io.edgebridge.proxy.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading fields of objects of any kind without their Java model. */
public final class LiveObjects {

    private LiveObjects() {
    }

    public static Optional<Long> number(GenericKubernetesResource object, Object... path) {
        Object value = object.get(path);
        return value instanceof Number number ? Optional.of(number.longValue()) : Optional.empty();
    }

    public static Optional<String> text(GenericKubernetesResource object, Object... path) {
        Object value = object.get(path);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    /** The condition of that type in {@code status.conditions}, as a map. */
    public static Optional<Map<?, ?>> condition(GenericKubernetesResource object, String type) {
        Object conditions = object.get("status", "conditions");
        if (!(conditions instanceof List<?> list)) {
            return Optional.empty();
        }
        for (var entry : list) {
            if (entry instanceof Map<?, ?> condition && type.equals(condition.get("type"))) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }

    public static boolean conditionIsTrue(GenericKubernetesResource object, String type) {
        return condition(object, type).map(c -> "True".equals(c.get("status"))).orElse(false);
    }

    public static Optional<String> label(GenericKubernetesResource object, String key) {
        var labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(key));
    }
}
