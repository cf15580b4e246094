package io.edgebridge.api.v1alpha1;

/** Names and patterns shared by the three kinds and the generated CRDs. */
public final class ApiConstants {
    public static final String GROUP = "edgebridge.io";
    public static final String VERSION = "v1alpha1";
    public static final String CATEGORY = "edge";

    /** A Go-style duration such as {@code 90s}, {@code 5m} or {@code 1h30m}. */
    public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    /** An RFC 1123 label: a Kubernetes namespace or object name part. */
    public static final String DNS_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** An RFC 1123 subdomain: a Kubernetes object name. */
    public static final String DNS_SUBDOMAIN_PATTERN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private ApiConstants() {
    }
}
