package io.edgebridge.proxy.report;

/**
 * Whether one applied object does its job.
 *
 * @param message why it is not ready or failed; null when ready
 */
public record ObjectHealth(Phase phase, String message) {

    public enum Phase { READY, PROGRESSING, FAILED }

    public static final ObjectHealth READY = new ObjectHealth(Phase.READY, null);

    public static ObjectHealth progressing(String message) {
        return new ObjectHealth(Phase.PROGRESSING, message);
    }

    public static ObjectHealth failed(String message) {
        return new ObjectHealth(Phase.FAILED, message);
    }
}
