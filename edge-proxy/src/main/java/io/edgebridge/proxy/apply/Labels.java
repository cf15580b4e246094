package io.edgebridge.proxy.apply;

/** Names EdgeBridge puts on what it applies. */
public final class Labels {

    public static final String APP = "edgebridge.io/app";
    public static final String REVISION = "edgebridge.io/revision";
    /** Server-side apply field manager: owns exactly the fields EdgeBridge sets. */
    public static final String FIELD_MANAGER = "edgebridge";
    /** On namespaces EdgeBridge created because a bundle targets them (never pruned). */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private Labels() {
    }
}
