package io.edgebridge.proxy.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper for state files and the wire: unknown fields are ignored, so a proxy reads what
 * a newer hub (or a newer proxy version, after a downgrade) wrote.
 */
public final class StateJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StateJson() {
    }
}
