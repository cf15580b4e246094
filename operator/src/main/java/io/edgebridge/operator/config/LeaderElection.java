package io.edgebridge.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Several replicas may run: reconcilers act on the leader only (a Lease in the operator's
 * namespace), while the hub serves edge proxies on every replica from its own caches.
 */
@Singleton
public class LeaderElection implements ConfigurationServiceCustomizer {

    public static final String LEASE = "edgebridge-operator";

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final OperatorConfig config;
    private final Instance<KubernetesClient> client;
    /** Unique per process (client-go's choice: host name and a UUID): replicas on one host must differ. */
    private final String identity;

    public LeaderElection(OperatorConfig config, Instance<KubernetesClient> client) {
        this.config = config;
        this.client = client;
        var host = System.getenv("HOSTNAME");
        this.identity = (host == null || host.isBlank() ? "edgebridge-operator" : host) + "_" + UUID.randomUUID();
    }

    String identity() {
        return identity;
    }

    @Override
    public Consumer<ConfigurationServiceOverrider> overrider() {
        return overrider -> {
            if (config.leaderElection()) {
                // JOSDK's own exit on losing the Lease (its builder allows turning it off in tests only)
                // also runs when the operator gives the Lease up because it is stopping: System.exit
                // inside the JVM's shutdown deadlocks, and the process never ends on SIGTERM until it is
                // killed. stoppedLeading exits on a real loss only, and releases the Lease on a stop.
                overrider.withLeaderElectionConfiguration(configuration());
            }
        };
    }

    LeaderElectionConfiguration configuration() {
        var lease = config.leaderLease();
        return new LeaderElectionConfiguration(LEASE, config.namespace(), lease.duration(), lease.renewDeadline(),
                lease.retryPeriod(), identity,
                new LeaderCallbacks(() -> { }, this::stoppedLeading, leader -> { }), false);
    }

    private void stoppedLeading() {
        if (jvmShuttingDown()) {
            release();
            return;
        }
        exit();
    }

    /**
     * Gives the Lease up when the operator stops (rolling update, drain): the SDK stops leading
     * without releasing it, and a replica starting meanwhile waited out the whole Lease before it
     * reconciled anything. As client-go's ReleaseOnCancel does: no holder, and a duration of one
     * second. Runs after the controllers stopped; a Lease another replica holds is left alone.
     *
     * @return whether this replica held the Lease and released it
     */
    boolean release() {
        var lock = new LeaseLock(config.namespace(), LEASE, identity);
        try {
            var kubernetes = client.get();
            var current = lock.get(kubernetes);
            if (current == null || !identity.equals(current.getHolderIdentity())) {
                return false;
            }
            var now = ZonedDateTime.now(ZoneOffset.UTC);
            // "" rather than null: the lock writes a merge patch, in which null leaves the holder as it was.
            lock.update(kubernetes, new LeaderElectionRecord("", Duration.ofSeconds(1), now, now,
                    current.getLeaderTransitions()));
            LOG.info("Released the leader Lease: the operator is stopping, another replica may lead at once");
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Could not release the leader Lease (another replica leads once it expires, within %s): %s",
                    config.leaderLease().duration(), e.getMessage());
            return false;
        }
    }

    /**
     * A replica that lost its Lease must stop reconciling at once (another one leads now): it exits
     * and Kubernetes restarts it as a follower.
     */
    static void exit() {
        LOG.error("Lost the leader Lease " + LEASE + ": exiting, to come back as a follower");
        // From a thread of its own: System.exit runs the shutdown hooks, which stop the leader
        // election whose callback this is.
        new Thread(() -> System.exit(1), "exit-after-losing-the-lease").start();
    }

    /** Whether the JVM already runs its shutdown hooks (it refuses new ones then). */
    static boolean jvmShuttingDown() {
        var probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }
}
