package io.edgebridge.operator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void theFirstBufferFitsTheDeclaredBodyButNotALargeClaim() {
        assertEquals(51, RequestBodies.initialBytes(51));
        assertEquals(0, RequestBodies.initialBytes(0));
        assertEquals(512, RequestBodies.initialBytes(-1), "no length declared (chunked)");
        // A client that declares a megabyte and sends nothing costs the hub no megabyte.
        assertEquals(RequestBodies.MOST_BEFORE_BYTES, RequestBodies.initialBytes(1024 * 1024));
    }
}
