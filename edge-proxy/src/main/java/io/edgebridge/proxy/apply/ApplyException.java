package io.edgebridge.proxy.apply;

/** The cluster refused or failed an operation on one object; the message is the API server's. */
public class ApplyException extends Exception {

    public ApplyException(String message) {
        super(message);
    }

    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
