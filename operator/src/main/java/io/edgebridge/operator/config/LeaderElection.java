package io.edgebridge.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.inject.Singleton;
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

    public LeaderElection(OperatorConfig config) {
        this.config = config;
    }

    @Override
    public Consumer<ConfigurationServiceOverrider> overrider() {
        return overrider -> {
            if (config.leaderElection()) {
                // JOSDK's own exit on losing the Lease (its builder allows turning it off in tests only)
                // also runs when the operator gives the Lease up because it is stopping: System.exit
                // inside the JVM's shutdown deadlocks, and the process never ends on SIGTERM until it is
                // killed. exitUnlessStopping exits on a real loss only.
                overrider.withLeaderElectionConfiguration(configuration());
            }
        };
    }

    LeaderElectionConfiguration configuration() {
        var lease = config.leaderLease();
        return new LeaderElectionConfiguration(LEASE, config.namespace(), lease.duration(), lease.renewDeadline(),
                lease.retryPeriod(), null,
                new LeaderCallbacks(() -> { }, LeaderElection::exitUnlessStopping, leader -> { }), false);
    }

    /**
     * A replica that lost its Lease must stop reconciling at once (another one leads now): it exits
     * and Kubernetes restarts it as a follower. When the operator is stopping anyway, there is
     * nothing to do.
     */
    static void exitUnlessStopping() {
        if (jvmShuttingDown()) {
            LOG.info("Gave up the leader Lease: the operator is stopping");
            return;
        }
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
