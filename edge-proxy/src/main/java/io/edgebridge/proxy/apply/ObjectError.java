package io.edgebridge.proxy.apply;

/**
 * Why one object of a bundle was not applied.
 *
 * @param object what the bundle called it, e.g. {@code Widget sensors/w1}
 * @param message the API server's message when it refused, else the proxy's
 */
public record ObjectError(String object, String message) {

    @Override
    public String toString() {
        return object + ": " + message;
    }
}
