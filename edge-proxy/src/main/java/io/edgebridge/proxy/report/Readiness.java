package io.edgebridge.proxy.report;

import static io.edgebridge.proxy.apply.LiveObjects.condition;
import static io.edgebridge.proxy.apply.LiveObjects.conditionIsTrue;
import static io.edgebridge.proxy.apply.LiveObjects.number;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Readiness of an applied object from what the cluster reports about it: workloads by their
 * controllers' status, Jobs by completion, everything else by existing.
 */
public final class Readiness {

    private Readiness() {
    }

    public static ObjectHealth of(GenericKubernetesResource live) {
        var group = live.getApiVersion() == null ? "" : live.getApiVersion().split("/")[0];
        return switch (group + "/" + live.getKind()) {
            case "apps/Deployment" -> deployment(live);
            case "apps/StatefulSet" -> statefulSet(live);
            case "apps/DaemonSet" -> daemonSet(live);
            case "batch/Job" -> job(live);
            default -> ObjectHealth.READY;
        };
    }

    private static ObjectHealth deployment(GenericKubernetesResource live) {
        if (!observedCurrent(live)) {
            return ObjectHealth.progressing(name(live) + ": waiting for the controller to see the new spec");
        }
        var progressing = condition(live, "Progressing");
        if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().get("reason"))) {
            return ObjectHealth.failed(name(live) + ": " + progressing.get().get("message"));
        }
        long desired = number(live, "spec", "replicas").orElse(1L);
        long updated = number(live, "status", "updatedReplicas").orElse(0L);
        long available = number(live, "status", "availableReplicas").orElse(0L);
        var availableCondition = condition(live, "Available");
        if (availableCondition.isPresent() && !"True".equals(availableCondition.get().get("status"))) {
            return ObjectHealth.progressing(name(live) + ": " + available + "/" + desired + " available");
        }
        if (updated < desired || available < desired) {
            return ObjectHealth.progressing(name(live) + ": " + available + "/" + desired + " available, "
                    + updated + " updated");
        }
        return ObjectHealth.READY;
    }

    private static ObjectHealth statefulSet(GenericKubernetesResource live) {
        return counted(live, number(live, "status", "readyReplicas").orElse(0L),
                number(live, "spec", "replicas").orElse(1L), "ready");
    }

    private static ObjectHealth daemonSet(GenericKubernetesResource live) {
        return counted(live, number(live, "status", "numberAvailable").orElse(0L),
                number(live, "status", "desiredNumberScheduled").orElse(0L), "available");
    }

    /** Ready when the controller saw the current spec and {@code actual} reached {@code desired}. */
    private static ObjectHealth counted(GenericKubernetesResource live, long actual, long desired, String what) {
        if (!observedCurrent(live) || actual != desired) {
            return ObjectHealth.progressing(name(live) + ": " + actual + "/" + desired + " " + what);
        }
        return ObjectHealth.READY;
    }

    private static ObjectHealth job(GenericKubernetesResource live) {
        if (conditionIsTrue(live, "Failed")) {
            Object reason = condition(live, "Failed").map(c -> (Object) c.get("message")).orElse("failed");
            return ObjectHealth.failed(name(live) + ": " + reason);
        }
        if (conditionIsTrue(live, "Complete")) {
            return ObjectHealth.READY;
        }
        return ObjectHealth.progressing(name(live) + ": not complete");
    }

    /** The controller has seen the current spec; before that, status describes an older one. */
    private static boolean observedCurrent(GenericKubernetesResource live) {
        long generation = live.getMetadata().getGeneration() == null ? 0 : live.getMetadata().getGeneration();
        return number(live, "status", "observedGeneration").orElse(-1L) >= generation;
    }

    private static String name(GenericKubernetesResource live) {
        var namespace = live.getMetadata().getNamespace();
        return live.getKind() + " " + (namespace == null ? "" : namespace + "/") + live.getMetadata().getName();
    }
}
