package io.edgebridge.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What K3s runs on an edge site besides its API server, so that workloads really come up: a
 * kube-controller-manager with the controllers Deployments need, a kube-scheduler, and kwok as the
 * kubelet of the site's nodes (nothing runs, but Pods are created, scheduled, started and reported
 * ready by the same components, and in the same order, as on K3s). All are built by {@code make
 * controlplane} and run against the site's API server as its admin; they stop with it.
 */
final class SiteWorkloads {

    /** Nodes with this annotation are the ones kwok plays the kubelet for. */
    static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
    /** The K3s version the simulated nodes report, as an EVE device's K3s would. */
    static final String K3S_VERSION = "v1.33.4+k3s1";
    static final String EVE_VERSION = "14.5.0-kvm";

    /** Only the controllers the applied workloads need; a site stays lean. */
    static final List<String> CONTROLLERS = List.of(
            "deployment-controller", // Deployments -> ReplicaSets, rollouts, status
            "replicaset-controller", // ReplicaSets -> Pods
            "serviceaccount-controller", // the default ServiceAccount Pods run as, in every namespace
            "garbage-collector-controller", // what a pruned Deployment owned goes by ownerReference
            "node-lifecycle-controller"); // lifts the not-ready taint once a node reports Ready

    // One OS thread running Go code per component: a few Pods need no more, and the machine is small.
    private static final Map<String, String> LEAN = Map.of("GOMAXPROCS", "1");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_TAIL_LINES = 30;

    private SiteWorkloads() {
    }

    /** Starts the components on {@code plane} and registers {@code nodes}; returns once they can run Pods. */
    static void start(LocalControlPlane plane, List<String> nodes) throws IOException {
        var kubeconfig = plane.writeKubeconfig().toString();
        var kwokConfig = plane.dir().resolve("kwok.yaml");
        try (var in = SiteWorkloads.class.getResourceAsStream("/kwok/edge-site.yaml")) {
            Files.copy(in, kwokConfig);
        }
        List<LoggedProcess> components = new ArrayList<>();
        components.add(plane.launch("kube-controller-manager", List.of(
                "--kubeconfig=" + kubeconfig,
                "--controllers=" + String.join(",", CONTROLLERS),
                "--leader-elect=false",
                "--secure-port=0", // no metrics or health endpoint: nothing scrapes a test site
                "--concurrent-deployment-syncs=2",
                "--concurrent-replicaset-syncs=2",
                "--concurrent-gc-syncs=2"), LEAN));
        components.add(plane.launch("kube-scheduler", List.of(
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--secure-port=0"), LEAN));
        components.add(plane.launch("kwok", List.of(
                "--kubeconfig=" + kubeconfig,
                "--config=" + kwokConfig,
                "--manage-nodes-with-annotation-selector=" + KWOK_NODE_ANNOTATION + "=fake"), LEAN));
        for (var node : nodes) {
            plane.client().nodes().resource(node(node)).create();
        }
        try {
            await("the site's nodes to be ready for Pods").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        components.forEach(LoggedProcess::ensureRunning);
                        return nodes.stream().allMatch(name -> schedulable(plane.client().nodes().withName(name).get()));
                    });
        } catch (RuntimeException e) {
            var logs = new StringBuilder();
            for (var component : components) {
                logs.append("\n--- ").append(component.name()).append(" log, last ").append(LOG_TAIL_LINES)
                        .append(" lines ---\n").append(component.logTail(LOG_TAIL_LINES));
            }
            throw new IllegalStateException("the edge site's workload components did not start: " + e.getMessage()
                    + "\nLogs are in " + plane.dir() + logs, e);
        }
    }

    /**
     * A node as an EVE device's K3s registers it: its kubelet's node info and capacity, EVE's label,
     * and kwok's annotation. Its conditions are left to kwok, its taints to the node lifecycle controller.
     */
    static Node node(String name) {
        var resources = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
        return new NodeBuilder()
                .withNewMetadata().withName(name)
                        .addToLabels("kubernetes.io/hostname", name)
                        .addToLabels("kubernetes.io/os", "linux")
                        .addToLabels("lf-edge.org/eve-version", EVE_VERSION)
                        .addToAnnotations(KWOK_NODE_ANNOTATION, "fake")
                .endMetadata()
                .withNewStatus()
                        .withNewNodeInfo().withKubeletVersion(K3S_VERSION).withKubeProxyVersion(K3S_VERSION)
                                .withArchitecture("amd64").withOperatingSystem("linux").withOsImage("EVE-OS")
                                .withContainerRuntimeVersion("containerd://2.0.5-k3s1").withKernelVersion("6.1.112")
                                .withMachineID(name).withSystemUUID(name).withBootID(name)
                        .endNodeInfo()
                        .withCapacity(resources)
                        .withAllocatable(resources)
                .endStatus()
                .build();
    }

    /** Ready, and no longer tainted not-ready: the scheduler places Pods on it. */
    static boolean schedulable(Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        boolean ready = node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean tainted = node.getSpec() != null && node.getSpec().getTaints() != null && node.getSpec().getTaints()
                .stream().anyMatch(t -> t.getKey().startsWith("node.kubernetes.io/"));
        return ready && !tainted;
    }
}
