package io.edgebridge.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

/**
 * The application starts the proxy from a mounted bootstrap Secret. With the hub unreachable and
 * nothing on disk it is alive but not ready (there is no desired state to enforce yet), and says so
 * in its metrics.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(UnreachableHubEnvironment.class)
class EdgeProxyStartupTest {

    @Test
    void aliveButNotReadyWithoutADesiredState() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.name", hasItem("edgebridge-desired-state"));
    }

    @Test
    void exposesItsMetrics() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("edgebridge_proxy_connected{cluster=\"retail-eu.munich\"} 0.0"))
                .body(containsString("edgebridge_proxy_bundles_rejected_total"))
                .body(containsString("edgebridge_proxy_sent_bytes_total"));
    }
}
