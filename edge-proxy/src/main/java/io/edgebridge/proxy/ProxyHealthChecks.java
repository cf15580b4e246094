package io.edgebridge.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Liveness: the sync and enforcement loops run. Readiness: a desired state is enforced. Neither
 * depends on the hub: an edge site that lost its uplink is still healthy.
 */
@ApplicationScoped
public class ProxyHealthChecks {

    @Inject
    EdgeProxyService service;

    @Produces
    @Liveness
    HealthCheck loopsAlive() {
        return () -> {
            var health = service.health();
            return HealthCheckResponse.named("edgebridge-proxy-loops").status(health.alive())
                    .withData("connected", health.connected()).build();
        };
    }

    @Produces
    @Readiness
    HealthCheck desiredStateApplied() {
        return () -> {
            var health = service.health();
            var response = HealthCheckResponse.named("edgebridge-desired-state").status(health.ready())
                    .withData("connected", health.connected());
            if (health.appliedStateHash() != null) {
                response.withData("appliedStateHash", health.appliedStateHash());
            }
            return response.build();
        };
    }
}
