package io.edgebridge.proxy.sync;

import java.time.Duration;
import java.util.Optional;

/**
 * A hub call that did not succeed: the hub answered with an error status, or it could not be
 * reached (status 0: connection refused, TLS failure, timeout).
 */
public final class HubException extends Exception {

    private final int status;
    private final Duration retryAfter;

    public HubException(int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public static HubException unreachable(String message, Throwable cause) {
        return new HubException(0, message, null, cause);
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** 401: the hub does not accept this certificate or bootstrap token. */
    public boolean identityRejected() {
        return status == 401;
    }

    /** 403: the hub knows who this is and refuses it (cluster quarantined or deleted). */
    public boolean forbidden() {
        return status == 403;
    }
}
