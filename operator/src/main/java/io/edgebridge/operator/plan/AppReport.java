package io.edgebridge.operator.plan;

/** What a cluster's edge proxy reports about one app. */
public record AppReport(String revision, boolean ready, boolean failed, String message) {
}
