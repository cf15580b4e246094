package io.edgebridge.e2e;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stands in for K3s's kubelet and controllers on a simulated edge site, whose API server runs no
 * workloads: registers the site's nodes as Ready and reports every Deployment available, as a
 * real site would once its pods run. Demo and tests only; it never pretends anything failed.
 */
final class SimulatedKubelet implements AutoCloseable {

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> deployments;

    SimulatedKubelet(KubernetesClient client, List<String> nodes) {
        this.client = client;
        for (var node : nodes) {
            register(node);
        }
        deployments = client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                markAvailable(deployment);
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {
                markAvailable(after);
            }

            @Override
            public void onDelete(Deployment deployment, boolean unknown) {
            }
        });
    }

    private void register(String name) {
        var node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("lf-edge.org/eve-version", "14.5.0-kvm").endMetadata().build());
        node.serverSideApply();
        client.nodes().withName(name).editStatus(n -> {
            n.setStatus(new NodeStatusBuilder()
                    .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True")
                            .withReason("KubeletReady").withLastHeartbeatTime(Instant.now().toString()).build())
                    .withNewNodeInfo().withKubeletVersion("v1.33.4+k3s1").withArchitecture("amd64")
                    .withOperatingSystem("linux").withOsImage("EVE-OS").withContainerRuntimeVersion("containerd://2.0")
                    .withKernelVersion("6.1").withKubeProxyVersion("v1.33.4+k3s1").withMachineID(name)
                    .withSystemUUID(name).withBootID(name).endNodeInfo()
                    .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                            "pods", new Quantity("110")))
                    .withCapacity(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                            "pods", new Quantity("110")))
                    .build());
            return n;
        });
    }

    private void markAvailable(Deployment deployment) {
        var replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        var status = deployment.getStatus();
        if (status != null && Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
                && Objects.equals(status.getAvailableReplicas(), replicas)) {
            return;
        }
        try {
            client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName()).editStatus(d -> {
                        d.setStatus(new DeploymentStatusBuilder()
                                .withObservedGeneration(d.getMetadata().getGeneration())
                                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                                .withAvailableReplicas(replicas)
                                .withConditions(new DeploymentConditionBuilder().withType("Available")
                                        .withStatus("True").withReason("MinimumReplicasAvailable").build())
                                .build());
                        return d;
                    });
        } catch (KubernetesClientException e) {
            // Deleted or changed meanwhile: the next event brings it round again.
        }
    }

    @Override
    public void close() {
        deployments.close();
    }
}
