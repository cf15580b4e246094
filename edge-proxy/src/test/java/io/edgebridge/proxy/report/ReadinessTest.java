package io.edgebridge.proxy.report;

import static io.edgebridge.proxy.testing.Bundles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.proxy.report.ObjectHealth.Phase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void deploymentIsReadyWhenTheCurrentGenerationIsAvailable() {
        var ready = deployment(3, 2, Map.of("observedGeneration", 2, "replicas", 3, "updatedReplicas", 3,
                "availableReplicas", 3, "conditions", List.of(condition("Available", "True", null, null))));
        assertEquals(Phase.READY, Readiness.of(ready).phase());
    }

    @Test
    void deploymentWithTooFewAvailableReplicasIsProgressing() {
        var health = Readiness.of(deployment(3, 2, Map.of("observedGeneration", 2, "updatedReplicas", 3,
                "availableReplicas", 1)));
        assertEquals(Phase.PROGRESSING, health.phase());
        assertTrue(health.message().contains("1/3 available"), health.message());
    }

    @Test
    void deploymentStatusOfAnOlderGenerationDoesNotCount() {
        var stale = deployment(1, 3, Map.of("observedGeneration", 2, "updatedReplicas", 1, "availableReplicas", 1));
        assertEquals(Phase.PROGRESSING, Readiness.of(stale).phase());
    }

    @Test
    void deploymentPastItsProgressDeadlineFailed() {
        var health = Readiness.of(deployment(1, 1, Map.of("observedGeneration", 1, "conditions", List.of(
                condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet has timed out")))));
        assertEquals(Phase.FAILED, health.phase());
        assertTrue(health.message().contains("timed out"), health.message());
    }

    @Test
    void statefulSetNeedsAllReplicasReady() {
        assertEquals(Phase.READY, Readiness.of(workload("StatefulSet", Map.of("replicas", 2),
                Map.of("observedGeneration", 1, "readyReplicas", 2))).phase());
        assertEquals(Phase.PROGRESSING, Readiness.of(workload("StatefulSet", Map.of("replicas", 2),
                Map.of("observedGeneration", 1, "readyReplicas", 1))).phase());
    }

    @Test
    void daemonSetNeedsEveryScheduledPodAvailable() {
        assertEquals(Phase.READY, Readiness.of(workload("DaemonSet", Map.of(),
                Map.of("observedGeneration", 1, "desiredNumberScheduled", 2, "numberAvailable", 2))).phase());
        assertEquals(Phase.PROGRESSING, Readiness.of(workload("DaemonSet", Map.of(),
                Map.of("observedGeneration", 1, "desiredNumberScheduled", 2, "numberAvailable", 1))).phase());
    }

    @Test
    void jobIsReadyWhenCompleteAndFailedWhenFailed() {
        assertEquals(Phase.READY, Readiness.of(job(condition("Complete", "True", null, null))).phase());
        var failed = Readiness.of(job(condition("Failed", "True", "BackoffLimitExceeded", "Job has reached the"
                + " specified backoff limit")));
        assertEquals(Phase.FAILED, failed.phase());
        assertTrue(failed.message().contains("backoff limit"), failed.message());
        assertEquals(Phase.PROGRESSING, Readiness.of(object("batch/v1", "Job", "ns", "j", Map.of())).phase());
    }

    @Test
    void anythingElseIsReadyWhenItExists() {
        assertEquals(Phase.READY, Readiness.of(object("v1", "ConfigMap", "ns", "c", Map.of())).phase());
    }

    private static GenericKubernetesResource deployment(int replicas, long generation, Map<String, Object> status) {
        var deployment = workload("Deployment", Map.of("replicas", replicas), status);
        deployment.getMetadata().setGeneration(generation);
        return deployment;
    }

    private static GenericKubernetesResource workload(String kind, Map<String, Object> spec, Map<String, Object> status) {
        var object = object("apps/v1", kind, "ns", "w", Map.of("spec", spec, "status", status));
        object.getMetadata().setGeneration(1L);
        return object;
    }

    private static GenericKubernetesResource job(Map<String, Object> condition) {
        return object("batch/v1", "Job", "ns", "j", Map.of("status", Map.of("conditions", List.of(condition))));
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message) {
        var condition = new HashMap<String, Object>(Map.of("type", type, "status", status));
        if (reason != null) {
            condition.put("reason", reason);
        }
        if (message != null) {
            condition.put("message", message);
        }
        return condition;
    }
}
