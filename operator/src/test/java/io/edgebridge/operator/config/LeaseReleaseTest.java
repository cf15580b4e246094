package io.edgebridge.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class LeaseReleaseTest {

    @Inject
    KubernetesClient client;

    @Inject
    LeaderElection election;

    @Inject
    OperatorConfig config;

    @Test
    void aStoppingLeaderLeavesTheLeaseFreeForTheNextReplica() {
        write(election.identity(), 7);

        assertTrue(election.release());

        var released = lease().getSpec();
        assertEquals("", released.getHolderIdentity(), "no holder");
        assertEquals(1, released.getLeaseDurationSeconds(), "expired a second after the release");
        assertEquals(7, released.getLeaseTransitions(), "transitions kept");
    }

    @Test
    void aLeaseAnotherReplicaHoldsIsLeftAlone() {
        write("other-replica_1234", 3);

        assertFalse(election.release());

        var kept = lease().getSpec();
        assertEquals("other-replica_1234", kept.getHolderIdentity());
        assertEquals(15, kept.getLeaseDurationSeconds());
    }

    @Test
    void replicasOnOneHostHaveDifferentIdentities() {
        var other = new LeaderElection(config, null);
        assertFalse(other.identity().equals(election.identity()), election.identity());
    }

    private void write(String holder, int transitions) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(config.namespace())
                .endMetadata().build()).createOr(existing -> existing.update());
        var now = ZonedDateTime.now();
        client.resource(new LeaseBuilder().withNewMetadata().withName(LeaderElection.LEASE)
                .withNamespace(config.namespace()).endMetadata().withNewSpec().withHolderIdentity(holder)
                .withLeaseDurationSeconds(15).withAcquireTime(now).withRenewTime(now)
                .withLeaseTransitions(transitions).endSpec().build()).createOr(existing -> existing.update());
    }

    private Lease lease() {
        return client.leases().inNamespace(config.namespace()).withName(LeaderElection.LEASE).get();
    }
}
