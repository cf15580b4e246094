package io.edgebridge.operator.config;

import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.inject.Singleton;
import java.util.function.Consumer;

/**
 * Several replicas may run: reconcilers act on the leader only (a Lease in the operator's
 * namespace), while the hub serves edge proxies on every replica from its own caches.
 */
@Singleton
public class LeaderElection implements ConfigurationServiceCustomizer {

    public static final String LEASE = "edgebridge-operator";

    private final OperatorConfig config;

    public LeaderElection(OperatorConfig config) {
        this.config = config;
    }

    @Override
    public Consumer<ConfigurationServiceOverrider> overrider() {
        return overrider -> {
            if (config.leaderElection()) {
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE, config.namespace()));
            }
        };
    }
}
