package io.edgebridge.operator.hub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** JSON for the sync API: unknown fields are ignored, so proxies and hub can be upgraded apart. */
final class HubJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private HubJson() {
    }

    /** Thrown for a body that is not the expected JSON; answered with 400. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    static <T> T read(Buffer body, Class<T> type) throws MalformedException {
        if (body == null || body.length() == 0) {
            throw new MalformedException("a JSON body is required");
        }
        try {
            return MAPPER.readValue(body.getBytes(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedException("the body is not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedException("the body cannot be read: " + e.getMessage());
        }
    }

    static Buffer write(Object value) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
