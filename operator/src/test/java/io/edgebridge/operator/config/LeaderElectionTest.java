package io.edgebridge.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

    static OperatorConfig config(Map<String, String> properties) {
        // Durations written as Quarkus reads them ("15s").
        return new SmallRyeConfigBuilder().withMapping(OperatorConfig.class).withDefaultValues(properties)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .addDefaultInterceptors().build().getConfigMapping(OperatorConfig.class);
    }

    @Test
    void theLeaseOutlastsRenewalsDelayedByLoadAndTheClientAcceptsIt() {
        var lease = new LeaderElection(config(Map.of("POD_NAMESPACE", "edgebridge-system")), null).configuration();
        assertEquals("edgebridge-operator", lease.getLeaseName());
        assertEquals("edgebridge-system", lease.getLeaseNamespace().orElseThrow());
        assertEquals(Duration.ofSeconds(15), lease.getRetryPeriod());
        assertEquals(Duration.ofSeconds(60), lease.getLeaseDuration());
        // Two renewals, each up to the client's 10 s request timeout, fit in the deadline.
        assertTrue(lease.getRenewDeadline().compareTo(Duration.ofSeconds(2 * 10 + 15)) >= 0);
        assertTrue(lease.getRenewDeadline().compareTo(lease.getLeaseDuration()) < 0);
        // What the Kubernetes client's leader elector checks when it starts.
        assertTrue(lease.getRenewDeadline().toMillis() > lease.getRetryPeriod().toMillis() * 2.2);
    }

    @Test
    void theLeaseTimesAreSettings() {
        var lease = new LeaderElection(config(Map.of("edgebridge.operator.leader-lease.duration", "15s",
                "edgebridge.operator.leader-lease.renew-deadline", "10s",
                "edgebridge.operator.leader-lease.retry-period", "2s")), null).configuration();
        assertEquals(Duration.ofSeconds(15), lease.getLeaseDuration());
        assertEquals(Duration.ofSeconds(10), lease.getRenewDeadline());
        assertEquals(Duration.ofSeconds(2), lease.getRetryPeriod());
    }
}
