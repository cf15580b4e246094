package io.edgebridge.proxy.sync;

/** The proxy cannot get an identity without help: bootstrap material is missing or unusable. */
public final class EnrollmentException extends Exception {

    public EnrollmentException(String message) {
        super(message);
    }

    public EnrollmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
