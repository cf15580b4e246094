package io.edgebridge.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The edge proxy application starts and reports itself healthy. */
@QuarkusTest
class EdgeProxyStartupTest {

    @Test
    void reportsReady() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
