package io.edgebridge.proxy.store;

import java.io.IOException;

/** A state file that exists but cannot be trusted: torn, truncated, or its checksum does not match. */
public class CorruptStateException extends IOException {

    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
